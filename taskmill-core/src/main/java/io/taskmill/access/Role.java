package io.taskmill.access;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What an API key may do. {@link #VIEWER} &lt; {@link #OPERATOR} &lt; {@link #ADMIN} form a ladder:
 * each allows what the roles below it allow. {@link #WORKER} stands apart: it is meant for a remote
 * node (claiming and completing jobs), allows only what needs {@link #WORKER} (no server route does
 * yet), and is allowed by no other role, not even {@link #ADMIN}.
 *
 * <p>Why admin does not imply worker: a worker key acts as a node, holding leases and committing
 * outcomes, which is a different principal from a person or script operating the cluster. Keeping
 * the two apart means a leaked worker key cannot read or change anything else, an admin key used in
 * a browser cannot pose as a node, and the audit trail never mixes the two kinds of caller. It also
 * means no key can create a worker key through {@code POST /api/v1/keys}: a key never creates a
 * role its own does not allow.
 *
 * <p>A key limited to some queues does all this only within them, and a route that spans every
 * queue ({@code /metrics}, the keys and the audit trail) refuses it with 403.
 */
public enum Role {
  /**
   * Calls every read route except keys and audit: {@code GET} of jobs (list, one, its events and
   * logs), schedules (list, one, its runs), queues, nodes, stats, handlers, the event stream
   * ({@code /api/v1/events}), {@code /openapi.json}, {@code /openapi.yaml}, {@code /docs}, {@code
   * /health/status} and {@code /metrics}; changes nothing.
   */
  VIEWER,
  /**
   * What {@link #VIEWER} may, and also submits jobs ({@code POST /api/v1/jobs} and {@code
   * /api/v1/jobs/batch}), cancels and retries them one at a time or in bulk, and pauses and resumes
   * queues; it cannot change schedules.
   */
  OPERATOR,
  /**
   * What {@link #OPERATOR} may, and also puts, deletes, pauses, resumes and triggers schedules,
   * creates, lists and revokes API keys (of the roles viewer, operator and admin), and reads the
   * audit trail ({@code GET /api/v1/audit}).
   */
  ADMIN,
  /**
   * Reserved for remote nodes: no server route needs it yet, so a worker key is refused with 403 on
   * every route that needs a key and reaches only {@code /health/live} and {@code /health/ready},
   * which need none.
   */
  WORKER;

  /** Whether a key with this role may do what needs {@code required}. */
  public boolean allows(Role required) {
    if (required == null) {
      throw new IllegalArgumentException("required role is null: name the role an action needs");
    }
    // Exhaustive, with no default: a new role must be placed here explicitly.
    return switch (this) {
      case VIEWER -> required == VIEWER;
      case OPERATOR -> required == VIEWER || required == OPERATOR;
      case ADMIN -> required == VIEWER || required == OPERATOR || required == ADMIN;
      case WORKER -> required == WORKER;
    };
  }

  /** The role's name as users write it: lower case ({@code "operator"}). */
  public String text() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The role written as {@link #text()}: {@code viewer}, {@code operator}, {@code admin} or {@code
   * worker}.
   *
   * @throws IllegalArgumentException naming the text and the allowed values
   */
  public static Role parse(String text) {
    for (Role role : values()) {
      if (role.text().equals(text)) {
        return role;
      }
    }
    String hint = "";
    for (Role role : values()) {
      if (text != null && role.text().equalsIgnoreCase(text.strip())) {
        hint = " (did you mean '" + role.text() + "'?)";
      }
    }
    throw new IllegalArgumentException(
        "unknown role "
            + (text == null ? "null" : "'" + text + "'")
            + hint
            + ": use one of "
            + allowedText());
  }

  /** The allowed role names, comma-separated, for messages. */
  static String allowedText() {
    return Arrays.stream(values()).map(Role::text).collect(Collectors.joining(", "));
  }
}
