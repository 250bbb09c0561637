package io.taskmill.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.taskmill.spi.Store;
import io.taskmill.spi.StoreInfo;
import io.taskmill.spi.StoreProvider;
import io.taskmill.spi.StoreSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.flywaydb.core.Flyway;

/**
 * Opens a {@link JdbcStore} from {@link StoreSettings}: builds the JDBC URL, starts the pool and
 * migrates the schema. Found by {@link java.util.ServiceLoader}.
 */
public final class JdbcStoreProvider implements StoreProvider {
  /**
   * Exclusive databases open in this JVM. H2 hands a second embedded connection to the same file
   * the same database instead of failing, so without this two stores would share one database
   * while each believed it was alone, and rescue each other's running jobs.
   */
  private static final Set<String> OPEN = ConcurrentHashMap.newKeySet();

  @Override
  public Store open(StoreSettings settings) {
    DatabaseTarget target = DatabaseTarget.of(settings);
    if (target.exclusive() && !OPEN.add(target.identity())) {
      throw new JdbcStoreException(inUse(target, "by another Taskmill store in this process",
          "close that store first"), null);
    }
    HikariDataSource dataSource = null;
    try {
      if (target.dataDir() != null) {
        createDataDir(target);
      }
      dataSource = new HikariDataSource(poolConfig(target, settings));
      migrate(target, dataSource);
      var info = new StoreInfo(target.name(), target.description(), target.exclusive());
      var db = new Database(dataSource, target.dialect(), target.description(),
          target.checkpointAfterWrite());
      return new JdbcStore(db, info, () -> OPEN.remove(target.identity()));
    } catch (RuntimeException e) {
      if (dataSource != null) {
        dataSource.close();
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
      throw new JdbcStoreException("cannot create the data dir " + target.dataDir() + " ("
          + e + "); check its permissions or choose another --data-dir", e);
    }
  }

  private static HikariConfig poolConfig(DatabaseTarget target, StoreSettings settings) {
    var config = new HikariConfig();
    config.setPoolName("taskmill-" + target.name());
    config.setJdbcUrl(target.url());
    config.setUsername(settings.user());
    config.setPassword(settings.password());
    config.setMaximumPoolSize(Math.max(1, settings.poolSize()));
    // Every store method commits or rolls back itself.
    config.setAutoCommit(false);
    config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
    // Fail fast at open with the real cause (a locked file, a bad URL) instead of later.
    config.setInitializationFailTimeout(1);
    config.setConnectionTimeout(10_000);
    return config;
  }

  private static void migrate(DatabaseTarget target, HikariDataSource dataSource) {
    try {
      Flyway.configure(JdbcStoreProvider.class.getClassLoader())
          .dataSource(dataSource)
          .locations(target.dialect().migrationLocation())
          .table("tm_schema_history")
          .failOnMissingLocations(true)
          .load()
          .migrate();
    } catch (RuntimeException e) {
      throw new JdbcStoreException("migrating the schema of " + target.description()
          + " failed: " + Database.firstLine(e) + "; the database may be from a newer Taskmill "
          + "or damaged", e);
    }
  }

  private static RuntimeException openFailure(DatabaseTarget target, RuntimeException e) {
    if (e instanceof JdbcStoreException) {
      return e;
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s) {
        if (target.dialect().isFileLocked(s)) {
          return new JdbcStoreException(inUse(target, "by another Taskmill process (H2 file lock)",
              "stop it"), e);
        }
        if ("28000".equals(s.getSQLState())) {
          return new JdbcStoreException("cannot log in to " + target.description()
              + ": wrong user or password (H2 keeps the ones it was created with)", e);
        }
        return new JdbcStoreException("cannot open the store at " + target.description() + ": "
            + Database.firstLine(s) + "; check the URL or data dir and its permissions", e);
      }
    }
    return new JdbcStoreException(
        "cannot open the store at " + target.description() + ": " + e.getMessage(), e);
  }

  private static String inUse(DatabaseTarget target, String byWhom, String whatToDo) {
    if (target.dataDir() != null) {
      return "the data dir " + target.dataDir() + " is in use " + byWhom + "; " + whatToDo
          + " or choose another --data-dir";
    }
    return "the database " + target.description() + " is in use " + byWhom + "; " + whatToDo
        + " or use another database";
  }
}
