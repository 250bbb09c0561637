package io.taskmill.server.http;

import io.taskmill.access.Role;

/**
 * Who made a request: the API key's public id and name, and its role. {@link #ANONYMOUS} is the
 * caller of an open route; {@link #insecure()} is everyone in loopback-only dev mode.
 */
public record Principal(String keyId, String name, Role role) {
  public static final Principal ANONYMOUS = new Principal(null, "anonymous", null);

  /** The caller in {@code --insecure-dev} mode: no key, treated as an admin. */
  public static Principal insecure() {
    return new Principal(null, "insecure-dev", Role.ADMIN);
  }
}
