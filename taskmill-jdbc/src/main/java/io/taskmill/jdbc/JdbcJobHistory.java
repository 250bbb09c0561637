package io.taskmill.jdbc;

import io.taskmill.JobId;
import io.taskmill.job.JobEvent;
import io.taskmill.job.JobLogLine;
import io.taskmill.job.JobState;
import io.taskmill.spi.NewJob;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * The {@code tm_job_event} and {@code tm_job_log} tables: binds, runs and maps the queries of
 * {@code job_history.sql}.
 */
final class JdbcJobHistory {
  /** Longest event message and error kept; longer text is cut rather than failing the change. */
  static final int MAX_MESSAGE_CHARS = 4000;
  static final int MAX_ERROR_CHARS = 1000;
  static final int MAX_LOG_CHARS = 8000;

  /** One transition to record; the attempt is read from the job row after the change. */
  record Transition(
      JobId jobId, Instant at, JobState from, JobState to, String node, String error,
      String message) {}

  /** One log line of a job. */
  record LogRow(JobId jobId, JobLogLine line) {}

  private final NamedSql insertEvent;
  private final NamedSql insertEventFromJob;
  private final NamedSql listEvents;
  private final NamedSql insertLog;
  private final NamedSql listLogs;

  JdbcJobHistory(SqlFile sql) {
    insertEvent = sql.get("insertEvent");
    insertEventFromJob = sql.get("insertEventFromJob");
    listEvents = sql.get("listEvents");
    insertLog = sql.get("insertLog");
    listLogs = sql.get("listLogs");
  }

  /** Records the creation of new jobs: from nothing to their first state, attempt 0. */
  void insertCreated(Connection c, List<NewJob> jobs, String node) throws SQLException {
    insertEvent.batch(c, jobs.stream()
        .map(j -> Params.of("jobId", j.id())
            .set("at", j.createdAt())
            .set("fromState", null)
            .set("toState", j.state())
            .set("node", node)
            .set("attempt", 0)
            .set("error", null)
            .set("message", null))
        .toList());
  }

  void insertTransitions(Connection c, List<Transition> transitions) throws SQLException {
    insertEventFromJob.batch(c, transitions.stream()
        .map(t -> Params.of("jobId", t.jobId())
            .set("at", t.at())
            .set("fromState", t.from())
            .set("toState", t.to())
            .set("node", t.node())
            .set("error", clip(t.error(), MAX_ERROR_CHARS))
            .set("message", clip(t.message(), MAX_MESSAGE_CHARS)))
        .toList());
  }

  List<JobEvent> events(Connection c, JobId id) throws SQLException {
    return listEvents.query(c, Params.of("jobId", id), JobRows::event);
  }

  void insertLogs(Connection c, List<LogRow> rows) throws SQLException {
    insertLog.batch(c, rows.stream()
        .map(r -> Params.of("jobId", r.jobId())
            .set("attempt", r.line().attempt())
            .set("at", r.line().at())
            .set("level", r.line().level())
            .set("message", clip(r.line().message(), MAX_LOG_CHARS)))
        .toList());
  }

  List<JobLogLine> logs(Connection c, JobId id) throws SQLException {
    return listLogs.query(c, Params.of("jobId", id), JobRows::logLine);
  }

  static String clip(String text, int max) {
    if (text == null || text.length() <= max) {
      return text;
    }
    return text.substring(0, max - 1) + "…";
  }
}
