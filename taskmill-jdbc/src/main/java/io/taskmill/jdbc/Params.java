package io.taskmill.jdbc;

import java.util.HashMap;
import java.util.Map;

/**
 * Values for one statement's {@code :named} parameters. Names the statement does not use are
 * ignored, so a dialect may compute a value in SQL (e.g. {@code now()}) instead of binding it.
 */
final class Params {
  private final Map<String, Object> values = new HashMap<>();

  static Params of() {
    return new Params();
  }

  static Params of(String name, Object value) {
    return new Params().set(name, value);
  }

  /** Sets a parameter; {@code value} may be null. */
  Params set(String name, Object value) {
    values.put(name, value);
    return this;
  }

  boolean has(String name) {
    return values.containsKey(name);
  }

  Object get(String name) {
    return values.get(name);
  }
}
