package io.taskmill.cluster;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The job invariants of docs/testing.md, checked against the store's tables after a cluster test:
 * no job is left non-terminal for more than 2 × lease without a live lease, and each row agrees
 * with its own history. (The schedule, workflow and outbox invariants join when those features
 * exist.) Times are compared with the database's clock; nodes and database share a host.
 */
final class InvariantChecker {
  private record Check(String name, String sql) {}

  private static final List<Check> CHECKS =
      List.of(
          new Check(
              "running for more than 2 x lease without a live lease",
              """
          SELECT id, lease_owner, lease_expires_at FROM tm_job
          WHERE state = 'RUNNING' AND lease_expires_at < now() - CAST(? AS interval)"""),
          new Check(
              "waiting, due for more than 2 x lease and unclaimed",
              """
          SELECT id, state, run_at FROM tm_job
          WHERE state IN ('ENQUEUED', 'SCHEDULED')
            AND greatest(run_at, updated_at) < now() - CAST(? AS interval)"""),
          new Check(
              "row state differs from its last event",
              """
          SELECT j.id, j.state, e.to_state FROM tm_job j
          JOIN LATERAL (SELECT to_state FROM tm_job_event e WHERE e.job_id = j.id
                        ORDER BY seq DESC LIMIT 1) e ON TRUE
          WHERE e.to_state <> j.state AND CAST(? AS interval) IS NOT NULL"""),
          new Check(
              "lease epoch differs from the number of claims",
              """
          SELECT j.id, j.lease_epoch, count(e.seq) FROM tm_job j
          LEFT JOIN tm_job_event e ON e.job_id = j.id AND e.from_state = 'ENQUEUED'
                                  AND e.to_state = 'RUNNING'
          WHERE CAST(? AS interval) IS NOT NULL
          GROUP BY j.id, j.lease_epoch HAVING j.lease_epoch <> count(e.seq)"""),
          new Check(
              "more attempts than allowed, or a terminal job still leased",
              """
          SELECT id, attempt, max_attempts, lease_owner FROM tm_job
          WHERE (attempt > max_attempts
             OR (state IN ('SUCCEEDED', 'CANCELLED', 'DEAD') AND lease_owner IS NOT NULL))
            AND CAST(? AS interval) IS NOT NULL"""));

  private InvariantChecker() {}

  /** Every violation found, as "invariant: row"; empty when the store is consistent. */
  static List<String> violations(Connection c, Duration lease) throws SQLException {
    String twoLeases = lease.multipliedBy(2).toMillis() + " milliseconds";
    var found = new ArrayList<String>();
    for (Check check : CHECKS) {
      try (var ps = c.prepareStatement(check.sql())) {
        ps.setString(1, twoLeases);
        try (var rs = ps.executeQuery()) {
          int columns = rs.getMetaData().getColumnCount();
          while (rs.next()) {
            var row = new StringBuilder();
            for (int i = 1; i <= columns; i++) {
              row.append(i > 1 ? ", " : "").append(rs.getString(i));
            }
            found.add(check.name() + ": " + row);
          }
        }
      }
    }
    return found;
  }
}
