package io.taskmill.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code taskmill --version}: the build's version and the JVM it runs on. */
public final class VersionProvider implements IVersionProvider {

  /** The Taskmill version this CLI was built as, or {@code unknown} outside a build. */
  public static String version() {
    var props = new Properties();
    try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        props.load(in);
      }
    } catch (IOException e) {
      // fall through to "unknown"
    }
    String v = props.getProperty("version", "unknown");
    return v.startsWith("${") ? "unknown" : v;
  }

  @Override
  public String[] getVersion() {
    return new String[] {
      "taskmill " + version(),
      "JVM: "
          + System.getProperty("java.vm.name")
          + " "
          + Runtime.version()
          + " ("
          + System.getProperty("java.vendor")
          + ")",
      "OS: "
          + System.getProperty("os.name")
          + " "
          + System.getProperty("os.version")
          + " "
          + System.getProperty("os.arch")
    };
  }
}
