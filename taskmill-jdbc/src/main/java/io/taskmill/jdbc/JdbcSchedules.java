package io.taskmill.jdbc;

import io.taskmill.job.JobId;
import io.taskmill.job.JobState;
import io.taskmill.schedule.CronTrigger;
import io.taskmill.schedule.JobTemplate;
import io.taskmill.schedule.MisfirePolicy;
import io.taskmill.schedule.OverlapPolicy;
import io.taskmill.schedule.Schedule;
import io.taskmill.schedule.ScheduleRun;
import io.taskmill.schedule.Trigger;
import io.taskmill.spi.RunRecord;
import io.taskmill.spi.ScheduleDue;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The {@code tm_schedule} and {@code tm_schedule_run} tables: binds, runs and maps the queries of
 * {@code schedules.sql}.
 */
final class JdbcSchedules {
  /** One run row to write. */
  private final NamedSql insertSchedule;

  private final NamedSql insertRun;
  private final Dialect dialect;

  JdbcSchedules(SqlFile sql, Dialect dialect) {
    this.dialect = dialect;
    insertSchedule = sql.get("insertSchedule");
    insertRun = sql.get("insertRun");
  }

  /** Inserts with version 0; false when the name is taken. */
  boolean insert(Connection c, Schedule s) throws SQLException {
    Params p =
        definition(s)
            .set("lastFireAt", s.lastFireAt())
            .set("lastJobId", s.lastJobId())
            .set("createdAt", s.createdAt());
    try {
      return insertSchedule.update(c, p) == 1;
    } catch (SQLException e) {
      // H2 only: PostgreSQL's ON CONFLICT (name) DO NOTHING inserts 0 rows instead.
      if (dialect != Dialect.H2 || !dialect.isUniqueViolation(e)) {
        throw e;
      }
      return false;
    }
  }

  /**
   * Inserts run rows in one batch; false when any of them has a key recorded before. On H2 a single
   * row's conflict fails only its statement, so the caller may go on in the transaction.
   */
  boolean insertRuns(Connection c, String schedule, List<RunRecord> runs, Instant recordedAt)
      throws SQLException {
    try {
      if (runs.size() == 1) {
        return insertRun.update(c, runParams(schedule, runs.getFirst(), recordedAt)) == 1;
      }
      int[] counts =
          insertRun.batch(c, runs.stream().map(r -> runParams(schedule, r, recordedAt)).toList());
      for (int n : counts) {
        if (n != 1) {
          return false; // PostgreSQL's ON CONFLICT DO NOTHING
        }
      }
      return true;
    } catch (SQLException e) {
      if (dialect != Dialect.H2 || !isUniqueViolation(e)) {
        throw e;
      }
      return false;
    }
  }

  private static Params runParams(String schedule, RunRecord run, Instant recordedAt) {
    return Params.of("schedule", schedule)
        .set("fireAt", run.fireAt())
        .set("kind", run.outcome() == ScheduleRun.Outcome.MANUAL ? "MANUAL" : "TICK")
        .set("outcome", run.outcome())
        .set("jobId", run.jobId())
        .set(
            "note",
            run.note() == null
                ? null
                : run.note()
                    .substring(0, Math.min(run.note().length(), JdbcJobHistory.MAX_MESSAGE_CHARS)))
        .set("recordedAt", recordedAt);
  }

  /** The parameters {@link #definition} sets. */
  static final Set<String> DEFINITION_PARAMS =
      Set.of(
          "name",
          "trigger",
          "zone",
          "jobType",
          "jobQueue",
          "jobPriority",
          "jobPayload",
          "jobMaxAttempts",
          "jobRetryPolicy",
          "jobTimeoutMs",
          "jobTags",
          "misfire",
          "overlap",
          "paused",
          "nextFireAt",
          "updatedAt");

  /** The columns {@code insertSchedule} and {@code scheduleUpdate} share. */
  private static Params definition(Schedule s) {
    return definition(s, Params.of());
  }

  /** Sets the definition's columns on {@code p}. */
  static Params definition(Schedule s, Params p) {
    JobTemplate job = s.job();
    return p.set("name", s.name())
        .set("trigger", s.trigger().text())
        .set("zone", s.trigger() instanceof CronTrigger cron ? cron.zone().getId() : null)
        .set("jobType", job.type())
        .set("jobQueue", job.queue())
        .set("jobPriority", job.priority())
        .set("jobPayload", job.payloadJson())
        .set("jobMaxAttempts", job.maxAttempts())
        .set("jobRetryPolicy", job.retryPolicyJson())
        .set("jobTimeoutMs", job.timeout() == null ? null : job.timeout().toMillis())
        .set("jobTags", TagsJson.encode(job.tags()))
        .set("misfire", s.misfire().toString())
        .set("overlap", s.overlap())
        .set("paused", s.paused())
        .set("nextFireAt", s.nextFireAt())
        .set("updatedAt", s.updatedAt());
  }

  static Schedule schedule(ResultSet rs) throws SQLException {
    long timeoutMs = rs.getLong("job_timeout_ms");
    Duration timeout = rs.wasNull() ? null : Duration.ofMillis(timeoutMs);
    var job =
        new JobTemplate(
            rs.getString("job_type"),
            rs.getString("job_queue"),
            rs.getInt("job_priority"),
            rs.getString("job_payload"),
            rs.getInt("job_max_attempts"),
            rs.getString("job_retry_policy"),
            timeout,
            TagsJson.decode(rs.getString("job_tags")));
    return new Schedule(
        rs.getString("name"),
        Trigger.parse(rs.getString("trigger"), rs.getString("zone")),
        job,
        MisfirePolicy.parse(rs.getString("misfire")),
        OverlapPolicy.valueOf(rs.getString("overlap")),
        rs.getBoolean("paused"),
        JobRows.instant(rs, "next_fire_at"),
        JobRows.instant(rs, "last_fire_at"),
        jobId(rs, "last_job_id"),
        JobRows.instant(rs, "created_at"),
        JobRows.instant(rs, "updated_at"),
        rs.getLong("version"));
  }

  static ScheduleDue due(ResultSet rs) throws SQLException {
    return new ScheduleDue(schedule(rs), state(rs, "last_job_state"));
  }

  static ScheduleRun run(ResultSet rs) throws SQLException {
    return new ScheduleRun(
        rs.getString("schedule_name"),
        JobRows.instant(rs, "fire_at"),
        ScheduleRun.Outcome.valueOf(rs.getString("outcome")),
        jobId(rs, "job_id"),
        state(rs, "job_state"),
        rs.getString("note"),
        JobRows.instant(rs, "recorded_at"));
  }

  private static JobId jobId(ResultSet rs, String column) throws SQLException {
    UUID id = rs.getObject(column, UUID.class);
    return id == null ? null : new JobId(id);
  }

  private static JobState state(ResultSet rs, String column) throws SQLException {
    String state = rs.getString(column);
    return state == null ? null : JobState.valueOf(state);
  }

  /** A unique violation, also as one entry of a failed batch (H2 reports those chained). */
  private boolean isUniqueViolation(SQLException e) {
    if (dialect.isUniqueViolation(e)) {
      return true;
    }
    for (SQLException next = e.getNextException(); next != null; next = next.getNextException()) {
      if (dialect.isUniqueViolation(next)) {
        return true;
      }
    }
    return e instanceof BatchUpdateException
        && e.getCause() instanceof SQLException cause
        && dialect.isUniqueViolation(cause);
  }
}
