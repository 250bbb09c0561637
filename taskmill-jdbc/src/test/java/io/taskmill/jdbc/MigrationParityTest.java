package io.taskmill.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskmill.spi.Store;
import io.taskmill.spi.StoreSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Locale;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every dialect's migrations yield the same tables and columns, so the DDL kept per dialect cannot
 * drift apart unnoticed (types may differ: uuid vs UUID, timestamptz vs TIMESTAMP WITH TIME ZONE).
 */
@ExtendWith(PgSessionTimeZone.class)
class MigrationParityTest {
  private static final String COLUMNS =
      "SELECT table_name, column_name, is_nullable "
          + "FROM information_schema.columns WHERE table_schema = ? AND lower(table_name) LIKE 'tm\\_%' "
          + "AND lower(table_name) <> 'tm_schema_history'";

  @Test
  void h2AndPostgresMigrationsYieldTheSameColumns() throws SQLException {
    String memName = "parity-" + UUID.randomUUID();
    TreeSet<String> h2;
    try (Store store =
            new JdbcStoreProvider().open(new StoreSettings(null, memName, null, null, null, 1));
        Connection c = DriverManager.getConnection("jdbc:h2:mem:" + memName)) {
      h2 = columns(c, "PUBLIC");
    }
    String schema = PgStores.newSchema();
    TreeSet<String> pg;
    try (Store store =
            new JdbcStoreProvider()
                .open(
                    new StoreSettings(
                        null, null, PgStores.url(schema), PgStores.USER, PgStores.PASSWORD, 1));
        Connection c = PgStores.connect(PgStores.url(schema))) {
      pg = columns(c, schema);
    } finally {
      PgStores.dropSchema(schema);
    }
    assertThat(h2).as("H2 columns").isNotEmpty().contains("tm_job.created_by not null");
    assertThat(pg).as("PostgreSQL columns, compared with H2's").isEqualTo(h2);
  }

  private static TreeSet<String> columns(Connection c, String schema) throws SQLException {
    var out = new TreeSet<String>();
    try (var ps = c.prepareStatement(COLUMNS)) {
      ps.setString(1, schema);
      try (var rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              (rs.getString(1) + "." + rs.getString(2)).toLowerCase(Locale.ROOT)
                  + ("YES".equals(rs.getString(3)) ? " null" : " not null"));
        }
      }
    }
    return out;
  }
}
