package io.taskmill.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.taskmill.spi.Store;
import io.taskmill.spi.StoreInfo;
import io.taskmill.spi.StoreProvider;
import io.taskmill.spi.StoreSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * Opens a {@link JdbcStore} from {@link StoreSettings}: builds the JDBC URL, starts the pool and
 * migrates the schema. Found by {@link java.util.ServiceLoader}.
 */
public final class JdbcStoreProvider implements StoreProvider {
  /**
   * Exclusive databases open in this JVM. H2 hands a second embedded connection to the same file
   * the same database instead of failing, so without this two stores would share one database while
   * each believed it was alone, and rescue each other's running jobs.
   */
  private static final Set<String> OPEN = ConcurrentHashMap.newKeySet();

  /**
   * Connections kept apart for proving the node alive (heartbeat, leadership, lease and lock
   * renewal): a main pool busy with claims, completions and enqueues must never make a live node
   * look dead or its leader lose its term.
   */
  private static final int RESERVED_POOL = 2;

  @Override
  public Store open(StoreSettings settings) {
    DatabaseTarget target = DatabaseTarget.of(settings);
    if (target.exclusive() && !OPEN.add(target.identity())) {
      throw new JdbcStoreException(
          inUse(target, "by another Taskmill store in this process", "close that store first"),
          null);
    }
    Pool dataSource = null;
    Pool reserved = null;
    try {
      if (target.dataDir() != null) {
        createDataDir(target);
      }
      migrateOutsidePool(target, settings);
      dataSource = pool(target, settings, "", settings.poolSize());
      reserved = pool(target, settings, "-reserved", RESERVED_POOL);
      var info = new StoreInfo(target.name(), target.description(), target.exclusive());
      var db =
          new Database(
              dataSource,
              reserved,
              target.dialect(),
              target.description(),
              target.checkpointAfterWrite());
      // Tells this store's own notifications from other stores' (and processes').
      String origin = UUID.randomUUID().toString();
      Function<Consumer<String>, AutoCloseable> subscriber =
          target.dialect() == Dialect.POSTGRES
              ? queueReady ->
                  PgListener.start(
                      target.url(),
                      settings.user(),
                      settings.password(),
                      target.description(),
                      origin,
                      queueReady)
              : null;
      return new JdbcStore(db, info, () -> OPEN.remove(target.identity()), subscriber, origin);
    } catch (RuntimeException e) {
      if (dataSource != null) {
        dataSource.close();
      }
      if (reserved != null) {
        reserved.close();
      }
      if (target.exclusive()) {
        OPEN.remove(target.identity());
      }
      throw openFailure(target, e);
    }
  }

  private static void createDataDir(DatabaseTarget target) {
    try {
      Files.createDirectories(target.dataDir());
    } catch (IOException e) {
      throw new JdbcStoreException(
          "cannot create the data dir "
              + target.dataDir()
              + " ("
              + e
              + "); check its permissions or choose another --data-dir",
          e);
    }
  }

  /**
   * A pool of {@code size}; for a database that can go away (not one embedded in this process), one
   * that is reopened as soon as it is back, and for an embedded file one that is reopened if its
   * database closes under it (see {@link Pool}).
   */
  private static Pool pool(DatabaseTarget target, StoreSettings settings, String suffix, int size) {
    Supplier<HikariDataSource> open =
        () -> new HikariDataSource(poolConfig(target, settings, suffix, size));
    if (target.exclusive()) {
      return target.checkpointAfterWrite()
          ? Pool.embeddedFile(open, Dialect::isEmbeddedDatabaseClosed)
          : Pool.fixed(open.get());
    }
    HikariConfig probeSettings = poolConfig(target, settings, suffix, size);
    var properties = new Properties();
    properties.putAll(probeSettings.getDataSourceProperties());
    if (settings.user() != null) {
      properties.setProperty("user", settings.user());
    }
    if (settings.password() != null) {
      properties.setProperty("password", settings.password());
    }
    return Pool.reopening(
        open, () -> DriverManager.getConnection(target.url(), properties).close());
  }

  private static HikariConfig poolConfig(
      DatabaseTarget target, StoreSettings settings, String suffix, int size) {
    var config = new HikariConfig();
    config.setPoolName("taskmill-" + target.name() + suffix);
    config.setJdbcUrl(target.url());
    config.setUsername(settings.user());
    config.setPassword(settings.password());
    config.setMaximumPoolSize(Math.max(1, size));
    // Every store method commits or rolls back itself.
    config.setAutoCommit(false);
    config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
    // Fail fast at open with the real cause (a locked file, a bad URL) instead of later.
    config.setInitializationFailTimeout(1);
    if (target.dialect() == Dialect.POSTGRES) {
      // A networked database can vanish: a caller (an enqueue, say) gets a clear error within
      // about two seconds instead of hanging, and a query on a connection whose peer went silent
      // (a partition) fails instead of waiting for TCP to give up. Settings in the URL win.
      config.setConnectionTimeout(2_000);
      config.addDataSourceProperty("connectTimeout", "2");
      config.addDataSourceProperty("socketTimeout", "30");
      config.addDataSourceProperty("tcpKeepAlive", "true");
    } else {
      config.setConnectionTimeout(10_000);
    }
    return config;
  }

  /**
   * Migrates the schema on connections of its own, before the pool exists: Flyway needs two
   * connections at once, which a pool of one could never give it.
   *
   * <p>An embedded file database that was just created or changed is then shut down cleanly before
   * the pool opens it. A kill -9 shortly after a new file was created and migrated left it
   * unopenable ("Chunk 2 not found") in about 2% of trials (4 of 200, H2 2.5.252; 2 of 181 with
   * auto-compaction off); with this clean shutdown, 0 of 400. H2 has an open report of the error.
   */
  private static void migrateOutsidePool(DatabaseTarget target, StoreSettings settings) {
    // Held open across the migration, so the database is not closed and reopened in between, and
    // opened first so a locked file or a bad URL is reported as such rather than as a migration.
    Connection holder;
    try {
      holder = DriverManager.getConnection(target.url(), settings.user(), settings.password());
    } catch (SQLException e) {
      throw new IllegalStateException("cannot open " + target.description(), e);
    }
    try (holder;
        var st = holder.createStatement()) {
      var flyway =
          Flyway.configure(JdbcStoreProvider.class.getClassLoader())
              .dataSource(target.url(), settings.user(), settings.password());
      if (migrate(target, flyway) > 0 && target.checkpointAfterWrite()) {
        st.execute("SHUTDOWN");
      }
    } catch (SQLException e) {
      throw new JdbcStoreException(
          "closing "
              + target.description()
              + " after creating its schema"
              + " failed: "
              + Database.firstLine(e),
          e);
    }
  }

  /** Applies pending migrations; returns how many were applied. */
  private static int migrate(DatabaseTarget target, FluentConfiguration configuration) {
    try {
      return configuration
          .locations(target.dialect().migrationLocation())
          .table("tm_schema_history")
          .failOnMissingLocations(true)
          .load()
          .migrate()
          .migrationsExecuted;
    } catch (RuntimeException e) {
      throw new JdbcStoreException(
          "migrating the schema of "
              + target.description()
              + " failed: "
              + Database.firstLine(e)
              + "; the database may be from a newer Taskmill "
              + "or damaged",
          e);
    }
  }

  private static RuntimeException openFailure(DatabaseTarget target, RuntimeException e) {
    if (e instanceof JdbcStoreException) {
      return e;
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s) {
        if (target.dialect().isFileLocked(s)) {
          return new JdbcStoreException(
              inUse(target, "by another Taskmill process (H2 file lock)", "stop it"), e);
        }
        if ("28000".equals(s.getSQLState()) || "28P01".equals(s.getSQLState())) {
          return new JdbcStoreException(
              "cannot log in to "
                  + target.description()
                  + ": wrong user or password"
                  + (target.dialect() == Dialect.H2
                      ? " (H2 keeps the ones it was created with)"
                      : ""),
              e);
        }
        return new JdbcStoreException(
            "cannot open the store at "
                + target.description()
                + ": "
                + Database.firstLine(s)
                + "; check the URL or data dir and its permissions",
            e);
      }
    }
    return new JdbcStoreException(
        "cannot open the store at " + target.description() + ": " + e.getMessage(), e);
  }

  private static String inUse(DatabaseTarget target, String byWhom, String whatToDo) {
    if (target.dataDir() != null) {
      return "the data dir "
          + target.dataDir()
          + " is in use "
          + byWhom
          + "; "
          + whatToDo
          + " or choose another --data-dir";
    }
    return "the database "
        + target.description()
        + " is in use "
        + byWhom
        + "; "
        + whatToDo
        + " or use another database";
  }
}
