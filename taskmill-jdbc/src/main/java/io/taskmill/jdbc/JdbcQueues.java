package io.taskmill.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.Set;

/** The {@code tm_queue} table: binds, runs and maps the queries of {@code queues.sql}. */
final class JdbcQueues {
  private final NamedSql setPaused;
  private final NamedSql pausedNames;

  JdbcQueues(SqlFile sql) {
    setPaused = sql.get("setPaused");
    pausedNames = sql.get("pausedNames");
  }

  void setPaused(Connection c, String queue, boolean paused) throws SQLException {
    setPaused.update(c, Params.of("name", queue).set("paused", paused));
  }

  Set<String> pausedNames(Connection c) throws SQLException {
    return new LinkedHashSet<>(pausedNames.query(c, Params.of(), rs -> rs.getString("name")));
  }
}
