package io.taskmill.cluster;

import io.taskmill.jdbc.PgStores;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;

/**
 * A PostgreSQL server the cluster tests use: the machine's shared one ({@link #shared()}, as in
 * {@link PgStores}), or a {@link PrivatePostgres} a test may restart. Each test works in a schema
 * of its own on it.
 *
 * @param baseUrl the database's JDBC URL without a schema
 */
record PgTarget(String baseUrl, String user, String password) {

  /** The machine's PostgreSQL that every test shares; never restarted or reconfigured by tests. */
  static PgTarget shared() {
    return new PgTarget(PgStores.BASE_URL, PgStores.USER, PgStores.PASSWORD);
  }

  /** The URL of sessions whose search path (and so Flyway's target) is {@code schema}. */
  String url(String schema) {
    return baseUrl + (baseUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  Connection connect(String schema) throws SQLException {
    return DriverManager.getConnection(url(schema), user, password);
  }

  /** Creates an empty schema no other test uses. */
  String newSchema() {
    String schema = "tm_cluster_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    execute("CREATE SCHEMA " + schema);
    return schema;
  }

  void dropSchema(String schema) {
    execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
  }

  private void execute(String sql) {
    try (Connection c = DriverManager.getConnection(baseUrl, user, password);
        var st = c.createStatement()) {
      st.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("'" + sql + "' failed on " + baseUrl + ": " + e, e);
    }
  }
}
