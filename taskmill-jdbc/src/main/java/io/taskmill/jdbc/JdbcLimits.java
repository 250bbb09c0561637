package io.taskmill.jdbc;

import io.taskmill.spi.ClusterLimit;
import io.taskmill.spi.LimitUsage;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Cluster-wide limits per job type ({@code limits.sql}): the claim-time lock, the counts of running
 * jobs and of starts in the current window, and the {@code tm_rate_window} rows that record starts.
 */
final class JdbcLimits {
  private final NamedSql lockTypes;
  private final NamedSql limitUsage;

  JdbcLimits(SqlFile sql) {
    lockTypes = sql.get("lockTypes");
    limitUsage = sql.get("limitUsage");
  }

  /**
   * Locks the limited types for the rest of the transaction (where the dialect needs it), then
   * reads what each has in use in the windows starting at {@code windowStarts}.
   */
  List<LimitUsage> lockAndCount(
      Connection c, Map<String, ClusterLimit> limits, Map<String, Instant> windowStarts)
      throws SQLException {
    String[] types = limits.keySet().toArray(String[]::new);
    lockTypes.query(c, Params.of("types", types), rs -> rs.getLong("locked"));
    var maxRunning = new Integer[types.length];
    var windows = new String[types.length];
    for (int i = 0; i < types.length; i++) {
      maxRunning[i] = limits.get(types[i]).maxRunning();
      Instant start = windowStarts.get(types[i]);
      windows[i] = start == null ? null : NamedSql.isoText(start);
    }
    var params =
        Params.of("types", types).set("maxRunning", maxRunning).set("windowStarts", windows);
    return limitUsage.query(
        c,
        params,
        rs -> new LimitUsage(rs.getString("type"), rs.getInt("running"), rs.getInt("started")));
  }
}
