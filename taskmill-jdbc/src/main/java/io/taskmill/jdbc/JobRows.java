package io.taskmill.jdbc;

import io.taskmill.job.Job;
import io.taskmill.job.JobEvent;
import io.taskmill.job.JobId;
import io.taskmill.job.JobLogLine;
import io.taskmill.job.JobState;
import io.taskmill.job.LogLevel;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

/** Maps result-set rows of the job tables to the domain records. */
final class JobRows {
  private JobRows() {}

  static Job job(ResultSet rs) throws SQLException {
    long timeoutMs = rs.getLong("timeout_ms");
    Duration timeout = rs.wasNull() ? null : Duration.ofMillis(timeoutMs);
    return new Job(
        id(rs, "id"),
        rs.getString("type"),
        rs.getString("queue"),
        JobState.valueOf(rs.getString("state")),
        rs.getInt("priority"),
        instant(rs, "run_at"),
        rs.getString("payload"),
        rs.getString("result"),
        rs.getInt("attempt"),
        rs.getInt("max_attempts"),
        rs.getString("retry_policy"),
        timeout,
        rs.getString("idempotency_key"),
        TagsJson.decode(rs.getString("tags")),
        rs.getString("correlation_id"),
        rs.getString("lease_owner"),
        rs.getLong("lease_epoch"),
        instant(rs, "lease_expires_at"),
        rs.getBoolean("cancel_requested"),
        rs.getString("last_error"),
        instant(rs, "created_at"),
        instant(rs, "updated_at"),
        instant(rs, "started_at"),
        instant(rs, "finished_at"),
        rs.getLong("version"),
        rs.getString("schedule_name"));
  }

  static JobEvent event(ResultSet rs) throws SQLException {
    String from = rs.getString("from_state");
    return new JobEvent(
        rs.getLong("seq"),
        id(rs, "job_id"),
        instant(rs, "at"),
        from == null ? null : JobState.valueOf(from),
        JobState.valueOf(rs.getString("to_state")),
        rs.getString("node"),
        rs.getInt("attempt"),
        rs.getString("error"),
        rs.getString("message"));
  }

  static JobLogLine logLine(ResultSet rs) throws SQLException {
    return new JobLogLine(
        rs.getInt("attempt"),
        instant(rs, "at"),
        LogLevel.valueOf(rs.getString("level")),
        rs.getString("message"));
  }

  static JobId id(ResultSet rs, String column) throws SQLException {
    return new JobId(rs.getObject(column, UUID.class));
  }

  static Instant instant(ResultSet rs, int column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }
}
