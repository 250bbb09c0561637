package io.taskmill.server.http;

import java.util.Optional;

/** Turns a presented bearer secret into the key's principal, or nothing when it is not valid. */
@FunctionalInterface
public interface Authenticator {
  Optional<Principal> authenticate(String secret);
}
