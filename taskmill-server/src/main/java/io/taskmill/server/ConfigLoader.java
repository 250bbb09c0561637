package io.taskmill.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Merges the server's settings: defaults &lt; {@code taskmill.yaml} &lt; {@code TASKMILL_*}
 * environment variables &lt; command-line flags. Every setting has one name, written {@code db-url}
 * in YAML and flags and {@code TASKMILL_DB_URL} in the environment; secrets and the rate limit
 * ({@code db-password}, {@code auth}, {@code requests-per-second}) have no flag. All problems are
 * reported together, each naming the setting, where it came from, the bad value and what is
 * allowed.
 */
public final class ConfigLoader {
  /** Reads the operator's config file into a tree only; no default typing (JsonMappersTest). */
  static final YAMLMapper YAML = YAMLMapper.builder().build();

  /** Settings that may appear in taskmill.yaml and as flags. */
  public static final Set<String> KEYS =
      Set.of(
          "port",
          "host",
          "data-dir",
          "db-url",
          "db-user",
          "db-password",
          "node-name",
          "demo",
          "insecure-dev",
          "requests-per-second",
          "auth",
          "audit-retention-days");

  private ConfigLoader() {}

  /**
   * @param yaml the configuration file, or null for none
   * @param env the environment ({@code System.getenv()})
   * @param flags settings given on the command line, by name
   * @throws IllegalArgumentException listing every problem
   */
  public static ServerConfig load(Path yaml, Map<String, String> env, Map<String, String> flags) {
    var problems = new ArrayList<String>();
    var values = new LinkedHashMap<String, Setting>();
    if (yaml != null) {
      readYaml(yaml, values, problems);
    }
    for (String key : KEYS) {
      String name = envName(key);
      if (env.containsKey(name)) {
        values.put(key, new Setting(env.get(name), "environment variable " + name));
      }
    }
    String bootstrap = env.get("TASKMILL_BOOTSTRAP_ADMIN_KEY");
    flags.forEach(
        (k, v) -> {
          if (!KEYS.contains(k)) {
            problems.add("unknown flag --" + k);
          } else {
            values.put(k, new Setting(v, "flag --" + k));
          }
        });

    ServerConfig c = ServerConfig.defaults();
    String host = text(values, "host", c.host());
    int port = integer(values, "port", c.port(), 0, 65535, problems);
    Path dataDir = Path.of(text(values, "data-dir", c.dataDir().toString()));
    String dbUrl = text(values, "db-url", null);
    if (dbUrl != null && !dbUrl.startsWith("jdbc:postgresql://") && !dbUrl.startsWith("jdbc:h2:")) {
      problems.add(
          where(values, "db-url")
              + ": '"
              + dbUrl
              + "' is not a jdbc:postgresql:// URL "
              + "(for example jdbc:postgresql://127.0.0.1:5432/taskmill)");
    }
    boolean demo = bool(values, "demo", false, problems);
    boolean insecure = bool(values, "insecure-dev", false, problems);
    boolean auth = bool(values, "auth", true, problems);
    if (!auth && !insecure) {
      problems.add(
          where(values, "auth")
              + ": authentication cannot be turned off on a server "
              + "others can reach; for local development use --insecure-dev, which binds to "
              + "127.0.0.1 only");
    }
    if (insecure && !values.containsKey("host")) {
      host = "127.0.0.1";
    }
    int rate =
        integer(values, "requests-per-second", c.requestsPerSecond(), 1, 1_000_000, problems);
    int auditDays = c.auditRetentionDays();
    String auditText = text(values, "audit-retention-days", null);
    if (auditText != null) {
      try {
        auditDays = Integer.parseInt(auditText);
        if (auditDays < ServerConfig.MIN_AUDIT_RETENTION_DAYS || auditDays > 36_500) {
          problems.add(
              where(values, "audit-retention-days")
                  + ": "
                  + auditDays
                  + " days is out "
                  + "of range; keep audit entries "
                  + ServerConfig.MIN_AUDIT_RETENTION_DAYS
                  + " to 36500 days (the last "
                  + ServerConfig.MIN_AUDIT_RETENTION_DAYS
                  + " days are "
                  + "always kept: PostgreSQL refuses to delete them)");
        }
      } catch (NumberFormatException e) {
        problems.add(
            where(values, "audit-retention-days")
                + ": '"
                + auditText
                + "' is not a "
                + "whole number of days ("
                + ServerConfig.MIN_AUDIT_RETENTION_DAYS
                + " to 36500, "
                + "default "
                + ServerConfig.DEFAULT_AUDIT_RETENTION_DAYS
                + ")");
      }
    }
    String node = text(values, "node-name", null);
    if (node != null && !node.matches("[A-Za-z0-9][A-Za-z0-9._\\-]{0,99}")) {
      problems.add(
          where(values, "node-name")
              + ": '"
              + node
              + "' is not a node name (1 to 100 "
              + "letters, digits, '.', '_' or '-', starting with a letter or digit)");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "the server configuration is invalid:\n  - " + String.join("\n  - ", problems));
    }
    return new ServerConfig(
        host,
        port,
        dataDir,
        dbUrl,
        text(values, "db-user", null),
        text(values, "db-password", null),
        false,
        node,
        demo,
        insecure,
        blank(bootstrap),
        rate,
        auditDays);
  }

  /** {@code data-dir} → {@code TASKMILL_DATA_DIR}. */
  public static String envName(String key) {
    return "TASKMILL_" + key.toUpperCase(Locale.ROOT).replace('-', '_');
  }

  private record Setting(String value, String source) {}

  private static void readYaml(Path file, Map<String, Setting> values, List<String> problems) {
    JsonNode tree;
    try {
      tree = YAML.readTree(Files.readString(file));
    } catch (IOException e) {
      problems.add("cannot read " + file + ": " + e.getMessage());
      return;
    } catch (JacksonException e) {
      problems.add(file + " is not valid YAML: " + e.getOriginalMessage());
      return;
    }
    if (tree == null || tree.isMissingNode() || tree.isNull()) {
      return;
    }
    if (!tree.isObject()) {
      problems.add(file + " must hold a mapping of settings such as 'port: 8080'");
      return;
    }
    for (var e : tree.properties()) {
      if (!KEYS.contains(e.getKey())) {
        problems.add(
            file
                + ": unknown setting '"
                + e.getKey()
                + "'; known: "
                + String.join(", ", KEYS.stream().sorted().toList()));
      } else if (e.getValue().isContainer()) {
        problems.add(file + ": " + e.getKey() + " must be a single value");
      } else {
        values.put(e.getKey(), new Setting(e.getValue().asString(), file + " key " + e.getKey()));
      }
    }
  }

  private static String where(Map<String, Setting> values, String key) {
    Setting s = values.get(key);
    return s == null ? key : s.source();
  }

  private static String text(Map<String, Setting> values, String key, String fallback) {
    Setting s = values.get(key);
    return s == null || s.value() == null || s.value().isBlank() ? fallback : s.value().trim();
  }

  private static String blank(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  private static int integer(
      Map<String, Setting> values,
      String key,
      int fallback,
      int min,
      int max,
      List<String> problems) {
    String text = text(values, key, null);
    if (text == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(text);
      if (n < min || n > max) {
        problems.add(where(values, key) + ": " + n + " is out of range " + min + " to " + max);
      }
      return n;
    } catch (NumberFormatException e) {
      problems.add(
          where(values, key)
              + ": '"
              + text
              + "' is not a whole number ("
              + min
              + " to "
              + max
              + ")");
      return fallback;
    }
  }

  private static boolean bool(
      Map<String, Setting> values, String key, boolean fallback, List<String> problems) {
    String text = text(values, key, null);
    if (text == null) {
      return fallback;
    }
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on", "1" -> true;
      case "false", "no", "off", "0" -> false;
      default -> {
        problems.add(where(values, key) + ": '" + text + "' is not true or false");
        yield fallback;
      }
    };
  }
}
