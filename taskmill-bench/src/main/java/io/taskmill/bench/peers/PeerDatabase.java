package io.taskmill.bench.peers;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A fresh PostgreSQL schema for one peer, created when this is made and dropped (with everything in
 * it) on {@link #close}, and the connection pools that point at it.
 */
final class PeerDatabase implements AutoCloseable {
  /** Every schema of a bench run starts so, Taskmill's included. */
  static final String SCHEMA_PREFIX = "taskmill_bench_";

  private final Peers.Settings settings;
  private final String schema;
  private final List<HikariDataSource> pools = new ArrayList<>();

  private PeerDatabase(Peers.Settings settings, String schema) {
    this.settings = settings;
    this.schema = schema;
  }

  /** Creates schema {@code taskmill_bench_<tag>_<random>}. */
  static PeerDatabase create(Peers.Settings settings, String tag) {
    String schema = SCHEMA_PREFIX + tag + "_" + UUID.randomUUID().toString().replace("-", "");
    execute(settings, "CREATE SCHEMA " + schema);
    return new PeerDatabase(settings, schema);
  }

  String schema() {
    return schema;
  }

  /** Runs {@code sql} (one or more statements) in the schema. */
  void run(String sql) {
    try (var c =
            DriverManager.getConnection(schemaUrl(), settings.dbUser(), settings.dbPassword());
        var st = c.createStatement()) {
      st.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "SQL in schema "
              + schema
              + " on "
              + settings.masked(settings.dbUrl())
              + " failed: "
              + settings.masked(e.getMessage()),
          e);
    }
  }

  /**
   * A HikariCP pool of {@code size} connections whose current schema is this one; closed with it.
   */
  HikariDataSource pool(String name, int size) {
    var config = new HikariConfig();
    config.setPoolName(name);
    config.setJdbcUrl(schemaUrl());
    config.setUsername(settings.dbUser());
    config.setPassword(settings.dbPassword());
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(size);
    var pool = new HikariDataSource(config);
    pools.add(pool);
    return pool;
  }

  private String schemaUrl() {
    String url = settings.dbUrl();
    return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  /** Closes the pools and drops the schema. */
  @Override
  public void close() {
    for (var pool : pools) {
      pool.close();
    }
    pools.clear();
    execute(settings, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
  }

  private static void execute(Peers.Settings settings, String sql) {
    try (var c =
            DriverManager.getConnection(
                settings.dbUrl(), settings.dbUser(), settings.dbPassword());
        var st = c.createStatement()) {
      st.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "'"
              + sql
              + "' failed on "
              + settings.masked(settings.dbUrl())
              + ": "
              + settings.masked(e.getMessage()),
          e);
    }
  }
}
