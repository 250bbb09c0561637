package io.taskmill.testkit.store;

import io.taskmill.job.JobId;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * Writes ready jobs into {@code tm_job} with plain SQL, as a hand-written INSERT or someone with
 * database access would: no engine, no API, no checks. For the tests that show what the engine and
 * server do with rows they did not write (S4, docs/testing.md).
 */
public final class PlantedRows {
  private PlantedRows() {}

  /**
   * Inserts a job of {@code type} in queue {@code default}, due a minute ago.
   *
   * @param payload the payload column's text, as is (null, malformed or hostile)
   * @param retryPolicy the retry policy column's JSON, or null for the handler's
   * @return the planted job's id
   */
  public static JobId plant(
      Connection c, String type, String payload, int maxAttempts, String retryPolicy)
      throws SQLException {
    UUID id = UUID.randomUUID();
    var now = OffsetDateTime.now(ZoneOffset.UTC);
    try (var ps =
        c.prepareStatement(
            "INSERT INTO tm_job (id, type, queue, state, priority, run_at,"
                + " payload, max_attempts, retry_policy, created_by, created_at, updated_at)"
                + " VALUES (?, ?, 'default', 'ENQUEUED', 0, ?, ?, ?, ?, 'planted', ?, ?)")) {
      ps.setObject(1, id);
      ps.setString(2, type);
      ps.setObject(3, now.minusMinutes(1));
      ps.setString(4, payload);
      ps.setInt(5, maxAttempts);
      ps.setString(6, retryPolicy);
      ps.setObject(7, now);
      ps.setObject(8, now);
      ps.executeUpdate();
    }
    return new JobId(id);
  }
}
