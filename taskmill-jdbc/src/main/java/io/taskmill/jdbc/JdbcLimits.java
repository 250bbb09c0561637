package io.taskmill.jdbc;

import io.taskmill.spi.ClusterLimit;
import io.taskmill.spi.LimitUsage;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Cluster-wide limits per job type ({@code limits.sql}): the claim-time lock, the counts of running
 * jobs and of starts in the current window, and the {@code tm_rate_window} rows that record starts.
 */
final class JdbcLimits {
  private final NamedSql lockTypes;
  private final NamedSql limitUsage;
  private final NamedSql addStarts;
  private final NamedSql pruneWindows;

  JdbcLimits(SqlFile sql) {
    lockTypes = sql.get("lockTypes");
    limitUsage = sql.get("limitUsage");
    addStarts = sql.get("addStarts");
    pruneWindows = sql.get("pruneWindows");
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

  /** Adds {@code started} starts of each type to its window starting at {@code windowStarts}. */
  void recordStarts(Connection c, Map<String, Instant> windowStarts, Map<String, Integer> started)
      throws SQLException {
    var adds = new ArrayList<Params>();
    started.forEach(
        (type, n) ->
            adds.add(
                Params.of("type", type)
                    .set("windowStart", windowStarts.get(type))
                    .set("started", n)));
    addStarts.batch(c, adds);
  }

  /** Deletes each type's windows that start before its instant. */
  void pruneWindows(Connection c, Map<String, Instant> before) throws SQLException {
    var prunes = new ArrayList<Params>();
    before.forEach((type, at) -> prunes.add(Params.of("type", type).set("before", at)));
    pruneWindows.batch(c, prunes);
  }
}
