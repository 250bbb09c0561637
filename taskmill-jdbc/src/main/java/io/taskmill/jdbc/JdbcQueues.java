package io.taskmill.jdbc;

import io.taskmill.job.JobState;
import io.taskmill.queue.QueueStat;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The {@code tm_queue} table: binds, runs and maps the queries of {@code queues.sql}. */
final class JdbcQueues {
  private final NamedSql depthByState;
  private final NamedSql finishedSince;

  JdbcQueues(SqlFile sql) {
    depthByState = sql.get("depthByState");
    finishedSince = sql.get("finishedSince");
  }

  List<QueueStat> stats(Connection c, Instant since) throws SQLException {
    var counts = new TreeMap<String, Map<JobState, Long>>();
    var oldest = new HashMap<String, Instant>();
    depthByState.query(
        c,
        Params.of(),
        rs -> {
          String queue = rs.getString("queue");
          counts
              .computeIfAbsent(queue, q -> new EnumMap<>(JobState.class))
              .put(JobState.valueOf(rs.getString("state")), rs.getLong("job_count"));
          Instant ready = JobRows.instant(rs, "oldest_ready");
          if (ready != null) {
            oldest.put(queue, ready);
          }
          return null;
        });
    var finished = new HashMap<String, Long>();
    finishedSince.query(
        c,
        Params.of("since", since),
        rs -> finished.put(rs.getString("queue"), rs.getLong("job_count")));
    var out = new ArrayList<QueueStat>();
    counts.forEach(
        (queue, byState) ->
            out.add(
                new QueueStat(
                    queue, byState, oldest.get(queue), finished.getOrDefault(queue, 0L))));
    return out;
  }
}
