package io.taskmill.jdbc;

import io.taskmill.spi.StoreSettings;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which database a store opens, worked out from {@link StoreSettings} before anything connects.
 *
 * @param url the JDBC URL to connect with
 * @param name short store name for {@code StoreInfo} ({@code h2-file}, {@code h2-mem}, {@code
 *     postgres}, …)
 * @param exclusive true when no other process can share the database while it is open
 * @param identity what makes two targets the same database in this JVM (file path or memory name)
 * @param dataDir the data directory the user chose, or null; named in error messages
 * @param checkpointAfterWrite true for an embedded H2 file, whose commits reach the file only when
 *     something makes its MVStore write them (see {@link Database})
 */
record DatabaseTarget(
    String url,
    Dialect dialect,
    String name,
    boolean exclusive,
    String identity,
    Path dataDir,
    boolean checkpointAfterWrite) {
  /**
   * H2 keeps each connection's 8 most recent statements parsed; the engine and server run dozens in
   * turn on every pooled connection, so with 8 every statement was parsed again (5% of the CPU of
   * REST submissions). 128 holds them all.
   */
  static final String H2_QUERY_CACHE = ";QUERY_CACHE_SIZE=128";

  private static final Pattern PASSWORD = Pattern.compile("(?i)(password=)[^;&]*");

  /** The URL with any password masked, for logs and {@code StoreInfo}. */
  String description() {
    return PASSWORD.matcher(url).replaceAll("$1***");
  }

  /** Works out the target; throws {@link IllegalArgumentException} naming the bad setting. */
  static DatabaseTarget of(StoreSettings settings) {
    if (settings.jdbcUrl() != null && !settings.jdbcUrl().isBlank()) {
      return fromUrl(settings.jdbcUrl().strip(), null);
    }
    if (settings.dataDir() != null && settings.inMemoryName() != null) {
      throw new IllegalArgumentException(
          "store settings name both a data dir ("
              + settings.dataDir()
              + ") and an in-memory database ("
              + settings.inMemoryName()
              + "); choose one");
    }
    if (settings.dataDir() != null) {
      Path dir = settings.dataDir().toAbsolutePath().normalize();
      if (dir.toString().contains(";")) {
        throw new IllegalArgumentException(
            "the data dir " + dir + " contains ';', which a JDBC URL cannot hold; choose another");
      }
      // DB_CLOSE_ON_EXIT=FALSE: H2's own shutdown hook would close the database before the
      // engine's graceful close could write its last outcomes and release its leases.
      return fromUrl(
          "jdbc:h2:file:" + dir.resolve("taskmill") + ";DB_CLOSE_ON_EXIT=FALSE" + H2_QUERY_CACHE,
          dir);
    }
    if (settings.inMemoryName() != null) {
      return fromUrl("jdbc:h2:mem:" + settings.inMemoryName() + H2_QUERY_CACHE, null);
    }
    throw new IllegalArgumentException(
        "store settings need a data dir, an in-memory database name or a JDBC URL");
  }

  private static DatabaseTarget fromUrl(String url, Path dataDir) {
    String lower = url.toLowerCase(Locale.ROOT);
    if (lower.startsWith("jdbc:postgresql:")) {
      // Shared by design: other processes may use the same database, so not exclusive; the
      // server makes each commit durable, so no checkpoint after writes.
      String description = PASSWORD.matcher(url).replaceAll("$1***");
      return new DatabaseTarget(url, Dialect.POSTGRES, "postgres", false, description, null, false);
    }
    if (!lower.startsWith("jdbc:h2:")) {
      throw new IllegalArgumentException(
          "unsupported JDBC URL '"
              + PASSWORD.matcher(url).replaceAll("$1***")
              + "': Taskmill supports H2 (jdbc:h2:...) and PostgreSQL "
              + "(jdbc:postgresql:...)");
    }
    String location = url.substring("jdbc:h2:".length());
    int semicolon = location.indexOf(';');
    String path = semicolon < 0 ? location : location.substring(0, semicolon);
    boolean autoServer = lower.contains(";auto_server=true");

    if (path.startsWith("mem:")) {
      String memName = path.substring("mem:".length());
      if (memName.isEmpty()) {
        throw new IllegalArgumentException(
            "the in-memory H2 URL '"
                + url
                + "' needs a name "
                + "(jdbc:h2:mem:<name>), or every pooled connection gets its own empty database");
      }
      // Without it the database vanishes whenever the pool happens to hold no connection.
      String memUrl = lower.contains(";db_close_delay=") ? url : url + ";DB_CLOSE_DELAY=-1";
      return new DatabaseTarget(memUrl, Dialect.H2, "h2-mem", true, "mem:" + memName, null, false);
    }
    if (path.startsWith("tcp:") || path.startsWith("ssl:")) {
      // The server owns durability settings; a remote client cannot make its commits sync.
      return new DatabaseTarget(url, Dialect.H2, "h2-server", false, url, null, false);
    }
    String filePath = path.startsWith("file:") ? path.substring("file:".length()) : path;
    if (filePath.startsWith("~")) {
      filePath = System.getProperty("user.home") + filePath.substring(1);
    }
    String identity = "file:" + Path.of(filePath).toAbsolutePath().normalize();
    // WRITE_DELAY stays at H2's default on purpose; Database explains how commits become durable.
    return new DatabaseTarget(url, Dialect.H2, "h2-file", !autoServer, identity, dataDir, true);
  }
}
