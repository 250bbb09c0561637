package io.taskmill.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The Taskmill version this process runs, as the build recorded it. */
final class Version {
  private static final String CURRENT = read();

  private Version() {}

  static String current() {
    return CURRENT;
  }

  private static String read() {
    try (InputStream in = Version.class.getResourceAsStream("/io/taskmill/version.properties")) {
      if (in == null) {
        return "unknown";
      }
      var p = new Properties();
      p.load(in);
      String v = p.getProperty("version", "unknown");
      return v.startsWith("${") ? "unknown" : v;
    } catch (IOException e) {
      return "unknown";
    }
  }
}
