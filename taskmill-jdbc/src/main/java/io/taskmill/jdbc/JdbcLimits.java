package io.taskmill.jdbc;

import io.taskmill.RateLimit;
import io.taskmill.spi.ClusterLimit;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;

/**
 * Cluster-wide limits per job type ({@code limits.sql}): the claim-time lock, the counts of running
 * jobs and of starts in the current window, and the {@code tm_rate_window} rows that record starts.
 */
final class JdbcLimits {
  /** How much of a limited type is in use when a claim looks, under the type's lock. */
  record Usage(String type, ClusterLimit limit, Instant windowStart, int running, int started) {
    /** How many more jobs of the type may start now, whichever limit is tighter. */
    int room() {
      int room = Integer.MAX_VALUE;
      if (limit.maxRunning() != null) {
        room = Math.min(room, limit.maxRunning() - running);
      }
      if (limit.rate() != null) {
        room = Math.min(room, limit.rate().starts() - started);
      }
      return Math.max(0, room);
    }
  }

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
   * reads what each has in use at {@code now}.
   */
  Map<String, Usage> lockAndRead(Connection c, Map<String, ClusterLimit> limits, Instant now)
      throws SQLException {
    String[] types = limits.keySet().toArray(String[]::new);
    lockTypes.query(c, Params.of("types", types), rs -> rs.getLong("locked"));
    var maxRunning = new Integer[types.length];
    var windowStarts = new String[types.length];
    var starts = new HashMap<String, Instant>();
    for (int i = 0; i < types.length; i++) {
      ClusterLimit limit = limits.get(types[i]);
      maxRunning[i] = limit.maxRunning();
      RateLimit rate = limit.rate();
      if (rate != null) {
        starts.put(types[i], rate.windowStart(now));
        windowStarts[i] = NamedSql.isoText(starts.get(types[i]));
      }
    }
    var params = Params.of("types", types)
        .set("maxRunning", maxRunning)
        .set("windowStarts", windowStarts);
    var usage = new HashMap<String, Usage>();
    for (Usage u : limitUsage.query(c, params, rs -> {
      String type = rs.getString("type");
      return new Usage(type, limits.get(type), starts.get(type), rs.getInt("running"),
          rs.getInt("started"));
    })) {
      usage.put(u.type(), u);
    }
    return usage;
  }

  /**
   * Records {@code started} more starts of rate-limited types in their current windows; a window
   * that had none yet drops its type's windows before the previous one.
   */
  void recordStarts(Connection c, Map<String, Usage> usage, Map<String, Integer> started)
      throws SQLException {
    var adds = new ArrayList<Params>();
    var prunes = new ArrayList<Params>();
    started.forEach((type, n) -> {
      Usage u = usage.get(type);
      if (u == null || u.limit().rate() == null || n == 0) {
        return;
      }
      adds.add(Params.of("type", type).set("windowStart", u.windowStart()).set("started", n));
      if (u.started() == 0) {
        // The previous window stays, for a node whose clock lags a little behind.
        prunes.add(Params.of("type", type).set("before", u.windowStart().minus(u.limit().rate().per())));
      }
    });
    pruneWindows.batch(c, prunes);
    addStarts.batch(c, adds);
  }

  /** The earliest time a rate limit that ran out with this claim opens its next window, or null. */
  static Instant nextWindow(Map<String, Usage> usage, Map<String, Integer> started, Instant now) {
    Instant next = null;
    for (Usage u : usage.values()) {
      RateLimit rate = u.limit().rate();
      if (rate != null && u.started() + started.getOrDefault(u.type(), 0) >= rate.starts()) {
        Instant end = rate.windowEnd(now);
        next = next == null || end.isBefore(next) ? end : next;
      }
    }
    return next;
  }
}
