package io.taskmill.server.http;

import io.taskmill.access.Role;
import java.util.List;

/**
 * Who made a request: the API key's public id and name, its role, and the queues it is limited to.
 * {@link #ANONYMOUS} is the caller of an open route; {@link #insecure()} is everyone in
 * loopback-only dev mode.
 *
 * @param queues the only queues whose jobs, queues and schedules the caller may see and act on
 *     (sorted); null for every queue
 */
public record Principal(String keyId, String name, Role role, List<String> queues) {
  public static final Principal ANONYMOUS = new Principal(null, "anonymous", null);

  public Principal {
    queues = queues == null ? null : List.copyOf(queues);
  }

  /** A caller that may use every queue. */
  public Principal(String keyId, String name, Role role) {
    this(keyId, name, role, null);
  }

  /** The caller in {@code --insecure-dev} mode: no key, treated as an unscoped admin. */
  public static Principal insecure() {
    return new Principal(null, "insecure-dev", Role.ADMIN);
  }

  /** Whether the caller is limited to some queues. */
  public boolean scoped() {
    return queues != null;
  }

  /** Whether the caller may see and act on the queue named {@code queue} and what is in it. */
  public boolean mayUse(String queue) {
    return queues == null || (queue != null && queues.contains(queue));
  }

  /**
   * 403 for a caller limited to other queues than {@code queue}: what it tried to use and what it
   * may. Only for what the caller named itself (a submission's queue), so it reveals nothing.
   */
  public Problem foreignQueue(String queue, String field) {
    return new Problem(
        403,
        "Forbidden",
        "key "
            + keyId
            + " may only use the queues "
            + String.join(", ", queues)
            + "; queue '"
            + LogText.clean(queue)
            + "' is not one of "
            + "them",
        field);
  }
}
