package io.taskmill.jdbc;

import io.taskmill.JobId;
import io.taskmill.job.ErrorSummary;
import io.taskmill.job.JobLogLine;
import io.taskmill.job.JobState;
import io.taskmill.job.LogLevel;
import io.taskmill.job.Outcome;
import io.taskmill.jdbc.JdbcJobHistory.LogRow;
import io.taskmill.jdbc.JdbcJobHistory.Transition;
import io.taskmill.jdbc.JdbcJobs.CompletionTarget;
import io.taskmill.jdbc.JdbcJobs.OutcomeWrite;
import io.taskmill.spi.JobCompletion;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Applies attempt outcomes inside the caller's transaction: one guarded update per completion in a
 * batch, then the events and log lines of all of them in two more batches. On PostgreSQL each of
 * the three is one set-based statement instead (see {@link JdbcJobs#completeAttempts}).
 */
final class JobCompleter {
  static final int MAX_LAST_ERROR_CHARS = 65_536;

  private final JdbcJobs jobs;
  private final JdbcJobHistory history;

  JobCompleter(JdbcJobs jobs, JdbcJobHistory history) {
    this.jobs = jobs;
    this.history = history;
  }

  /** The log lines one completion stores and the job's log count afterwards. */
  record LogPlan(List<JobLogLine> lines, int logCount) {}

  List<Boolean> completeMany(Connection c, List<JobCompletion> completions) throws SQLException {
    var ids = new LinkedHashSet<JobId>();
    completions.forEach(done -> ids.add(done.id()));
    // Locking first makes the states read here the states the guarded updates meet.
    var current = new HashMap<JobId, JobState>();
    var logCounts = new HashMap<JobId, Integer>();
    for (CompletionTarget t : jobs.lockCompletionTargets(c, ids)) {
      current.put(t.id(), t.state());
      logCounts.put(t.id(), t.logCount());
    }

    // Completions of unknown jobs have no row to update and no history to append to.
    var known = new ArrayList<Integer>();
    var plans = new ArrayList<LogPlan>();
    var writes = new ArrayList<OutcomeWrite>();
    for (int i = 0; i < completions.size(); i++) {
      JobCompletion done = completions.get(i);
      if (current.containsKey(done.id())) {
        LogPlan plan = planLogs(logCounts.get(done.id()), done);
        known.add(i);
        plans.add(plan);
        writes.add(write(done, plan.logCount()));
      }
    }
    int[] counts = jobs.completeAttempts(c, writes);

    var applied = new Boolean[completions.size()];
    Arrays.fill(applied, false);
    var transitions = new ArrayList<Transition>();
    var logs = new ArrayList<LogRow>();
    var appliedHere = new java.util.HashSet<String>();
    for (int k = 0; k < known.size(); k++) {
      JobCompletion done = completions.get(known.get(k));
      Outcome outcome = done.outcome();
      String error = outcome.error() == null ? null : outcome.error().headline();
      if (counts[k] == 1) {
        applied[known.get(k)] = true;
        appliedHere.add(attemptKey(done));
        current.put(done.id(), outcome.nextState());
        transitions.add(new Transition(done.id(), done.at(), JobState.RUNNING,
            outcome.nextState(), done.node(), error, message(outcome)));
        plans.get(k).lines().forEach(line -> logs.add(new LogRow(done.id(), line)));
      } else if (outcome.nextState() == current.get(done.id())
          && (appliedHere.contains(attemptKey(done))
              || history.outcomeRecorded(c, done.id(), done.attempt(), done.node(),
                  outcome.nextState()))) {
        // The same attempt's outcome again: a write retried after its reply was lost. It is
        // applied already; saying so keeps the history and the node's log from crying "lease lost".
        applied[known.get(k)] = true;
      } else {
        JobState now = current.get(done.id());
        transitions.add(new Transition(done.id(), done.at(), now, now, done.node(), error,
            "late completion of attempt " + done.attempt() + " from node " + done.node()
                + " ignored: lease lost"));
      }
    }
    history.insertTransitions(c, transitions);
    history.insertLogs(c, logs);
    return List.of(applied);
  }

  private static String attemptKey(JobCompletion done) {
    return done.id() + "/" + done.attempt() + "/" + done.node();
  }

  private static OutcomeWrite write(JobCompletion done, int logCount) {
    Outcome outcome = done.outcome();
    JobState to = outcome.nextState();
    return new OutcomeWrite(
        done.id(),
        done.leaseEpoch(),
        to,
        outcome instanceof Outcome.Succeeded s ? s.resultJson() : null,
        lastError(outcome.error()),
        to.isTerminal() ? done.at() : null,
        outcome instanceof Outcome.Retrying r ? r.retryAt() : null,
        logCount,
        done.at());
  }

  static String lastError(ErrorSummary error) {
    if (error == null) {
      return null;
    }
    String text = error.stackTrace().isEmpty()
        ? error.headline()
        : error.headline() + "\n" + error.stackTrace();
    return JdbcJobHistory.clip(text, MAX_LAST_ERROR_CHARS);
  }

  private static String message(Outcome outcome) {
    return switch (outcome) {
      case Outcome.Retrying r -> "retry at " + NamedSql.micros(r.retryAt());
      case Outcome.Cancelled cancelled -> cancelled.reason();
      case Outcome.Succeeded s -> null;
      case Outcome.Dead d -> null;
    };
  }

  /**
   * Bounds a job's stored log lines: at most {@code maxLogLines} from handlers, then one WARN line
   * saying how many were dropped. The marker takes the count past the limit, which is how later
   * attempts know it was written and drop their lines silently.
   */
  static LogPlan planLogs(int logCount, JobCompletion done) {
    List<JobLogLine> lines = done.logs();
    int max = Math.max(0, done.maxLogLines());
    if (lines.isEmpty() || logCount > max) {
      return new LogPlan(List.of(), logCount);
    }
    int room = max - logCount;
    if (lines.size() <= room) {
      return new LogPlan(lines, logCount + lines.size());
    }
    int dropped = lines.size() - room;
    var kept = new ArrayList<>(lines.subList(0, room));
    kept.add(new JobLogLine(done.attempt(), done.at(), LogLevel.WARN, dropped
        + " log lines dropped: a job keeps at most " + max + "; later lines are not stored"));
    return new LogPlan(kept, max + 1);
  }
}
