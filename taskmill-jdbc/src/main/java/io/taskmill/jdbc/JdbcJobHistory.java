package io.taskmill.jdbc;

import io.taskmill.spi.LogEntry;
import io.taskmill.spi.Transition;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

/**
 * The {@code tm_job_event} and {@code tm_job_log} tables: binds, runs and maps the queries of
 * {@code job_history.sql}.
 */
final class JdbcJobHistory {
  /** Longest event message and error kept; longer text is cut rather than failing the change. */
  static final int MAX_MESSAGE_CHARS = 4000;

  static final int MAX_ERROR_CHARS = 1000;
  static final int MAX_LOG_CHARS = 8000;

  private final NamedSql insertEvent;
  private final NamedSql insertLog;

  private final Dialect dialect;

  JdbcJobHistory(SqlFile sql, Dialect dialect) {
    this.dialect = dialect;
    insertEvent = sql.get("insertEvent");
    insertLog = sql.get("insertLog");
  }

  void insertTransitions(Connection c, List<Transition> transitions) throws SQLException {
    if (dialect == Dialect.POSTGRES) {
      // One INSERT ... SELECT FROM unnest(...) for all of them, in the order given.
      if (transitions.isEmpty()) {
        return;
      }
      int n = transitions.size();
      var jobIds = new UUID[n];
      var ats = new String[n];
      var fromStates = new String[n];
      var toStates = new String[n];
      var nodes = new String[n];
      var attempts = new Integer[n];
      var errors = new String[n];
      var messages = new String[n];
      for (int i = 0; i < n; i++) {
        Transition t = transitions.get(i);
        jobIds[i] = t.jobId().value();
        ats[i] = NamedSql.isoText(t.at());
        fromStates[i] = t.from() == null ? null : t.from().name();
        toStates[i] = t.to().name();
        nodes[i] = t.node();
        attempts[i] = t.attempt();
        errors[i] = clip(t.error(), MAX_ERROR_CHARS);
        messages[i] = clip(t.message(), MAX_MESSAGE_CHARS);
      }
      insertEvent.update(
          c,
          Params.of("jobIds", jobIds)
              .set("ats", ats)
              .set("fromStates", fromStates)
              .set("toStates", toStates)
              .set("nodes", nodes)
              .set("attempts", attempts)
              .set("errors", errors)
              .set("messages", messages));
      return;
    }
    insertEvent.batch(
        c,
        transitions.stream()
            .map(
                t ->
                    Params.of("jobId", t.jobId())
                        .set("at", t.at())
                        .set("fromState", t.from())
                        .set("toState", t.to())
                        .set("node", t.node())
                        .set("attempt", t.attempt())
                        .set("error", clip(t.error(), MAX_ERROR_CHARS))
                        .set("message", clip(t.message(), MAX_MESSAGE_CHARS)))
            .toList());
  }

  void insertLogs(Connection c, List<LogEntry> rows) throws SQLException {
    if (dialect == Dialect.POSTGRES) {
      // One INSERT ... SELECT FROM unnest(...) for all of them, in the order given.
      if (rows.isEmpty()) {
        return;
      }
      int n = rows.size();
      var jobIds = new UUID[n];
      var attempts = new Integer[n];
      var ats = new String[n];
      var levels = new String[n];
      var messages = new String[n];
      for (int i = 0; i < n; i++) {
        LogEntry r = rows.get(i);
        jobIds[i] = r.jobId().value();
        attempts[i] = r.line().attempt();
        ats[i] = NamedSql.isoText(r.line().at());
        levels[i] = r.line().level().name();
        messages[i] = clip(r.line().message(), MAX_LOG_CHARS);
      }
      insertLog.update(
          c,
          Params.of("jobIds", jobIds)
              .set("attempts", attempts)
              .set("ats", ats)
              .set("levels", levels)
              .set("messages", messages));
      return;
    }
    insertLog.batch(
        c,
        rows.stream()
            .map(
                r ->
                    Params.of("jobId", r.jobId())
                        .set("attempt", r.line().attempt())
                        .set("at", r.line().at())
                        .set("level", r.line().level())
                        .set("message", clip(r.line().message(), MAX_LOG_CHARS)))
            .toList());
  }

  static String clip(String text, int max) {
    if (text == null || text.length() <= max) {
      return text;
    }
    return text.substring(0, max - 1) + "…";
  }
}
