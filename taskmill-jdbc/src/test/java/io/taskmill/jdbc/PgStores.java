package io.taskmill.jdbc;

import io.taskmill.spi.Store;
import io.taskmill.spi.StoreSettings;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.TimeZone;
import java.util.UUID;

/**
 * Opens stores on the machine's PostgreSQL for tests, each in a schema of its own that is dropped
 * when the store closes, so tests never share rows and can run again and in parallel.
 *
 * <p>The server is {@code jdbc:postgresql://127.0.0.1:5432/postgres} as {@code postgres} with no
 * password (trust auth), or {@code -Dtaskmill.test.pg.url=…} / {@code .user} / {@code .password}.
 * Sessions run in America/New_York on purpose (stored instants must not depend on the session's
 * time zone): test classes using this need {@code @ExtendWith(PgSessionTimeZone.class)}, since
 * pgjdbc sets the session zone from the JVM's default zone.
 */
public final class PgStores {
  public static final String BASE_URL =
      System.getProperty("taskmill.test.pg.url", "jdbc:postgresql://127.0.0.1:5432/postgres");
  public static final String USER = System.getProperty("taskmill.test.pg.user", "postgres");
  public static final String PASSWORD = System.getProperty("taskmill.test.pg.password");

  /** A zone with DST and a negative offset, so a UTC assumption anywhere shows up. */
  public static final String SESSION_TIME_ZONE = "America/New_York";

  private PgStores() {}

  /** A fresh, migrated store in a new schema; closing it drops the schema. */
  static Store fresh() {
    return fresh(4);
  }

  /** {@link #fresh()} with {@code poolSize} connections in the store's main pool. */
  static Store fresh(int poolSize) {
    return fresh(newSchema(), poolSize);
  }

  /**
   * {@link #fresh(int)} in {@code schema}, made by {@link #newSchema()}, for tests that also
   * connect to it.
   */
  static Store fresh(String schema, int poolSize) {
    if (!TimeZone.getDefault().getID().equals(SESSION_TIME_ZONE)) {
      dropSchema(schema);
      throw new IllegalStateException(
          "annotate the test class with "
              + "@ExtendWith(PgSessionTimeZone.class) so its sessions run in "
              + SESSION_TIME_ZONE);
    }
    try {
      Store store =
          new JdbcStoreProvider()
              .open(new StoreSettings(null, null, url(schema), USER, PASSWORD, poolSize));
      return dropsSchemaOnClose(store, schema);
    } catch (RuntimeException e) {
      dropSchema(schema);
      throw e;
    }
  }

  /**
   * The JDBC URL of a session whose search path is {@code schema}; Flyway migrates the connection's
   * current schema when none is configured, so the tables land there too.
   */
  public static String url(String schema) {
    String separator = BASE_URL.contains("?") ? "&" : "?";
    return BASE_URL + separator + "currentSchema=" + schema;
  }

  /** Creates an empty schema with a name no other test uses. */
  public static String newSchema() {
    String schema = "tm_test_" + UUID.randomUUID().toString().replace("-", "");
    execute("CREATE SCHEMA " + schema);
    return schema;
  }

  public static void dropSchema(String schema) {
    execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
  }

  static Connection connect(String url) throws SQLException {
    return DriverManager.getConnection(url, USER, PASSWORD);
  }

  /** The single number a query on {@code schema} answers, e.g. a {@code count(*)}. */
  static long count(String schema, String query) throws SQLException {
    try (Connection c = connect(url(schema));
        var rs = c.createStatement().executeQuery(query)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void execute(String sql) {
    try (Connection c = connect(BASE_URL);
        var st = c.createStatement()) {
      st.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "'"
              + sql
              + "' failed on "
              + BASE_URL
              + " (is PostgreSQL "
              + "running? pg_ctlcluster --skip-systemctl-redirect <version> main start): "
              + e,
          e);
    }
  }

  /** The store, except that closing it also drops its schema. */
  private static Store dropsSchemaOnClose(Store store, String schema) {
    return (Store)
        Proxy.newProxyInstance(
            Store.class.getClassLoader(),
            new Class<?>[] {Store.class},
            (proxy, method, args) -> {
              if (method.getName().equals("close") && method.getParameterCount() == 0) {
                try {
                  store.close();
                } finally {
                  dropSchema(schema);
                }
                return null;
              }
              try {
                return method.invoke(store, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }
}
