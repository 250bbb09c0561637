package io.taskmill.internal.lease;

import io.taskmill.job.ErrorSummary;
import io.taskmill.job.JobId;
import io.taskmill.job.JobLogLine;
import io.taskmill.job.JobState;
import io.taskmill.job.LogLevel;
import io.taskmill.job.Outcome;
import io.taskmill.spi.CompletionTarget;
import io.taskmill.spi.JobCompletion;
import io.taskmill.spi.LogEntry;
import io.taskmill.spi.Ops.EventOutcomeRecorded;
import io.taskmill.spi.Ops.JobLockCompletionTargets;
import io.taskmill.spi.OutcomeWrite;
import io.taskmill.spi.Store;
import io.taskmill.spi.StoreOp;
import io.taskmill.spi.StoreTx;
import io.taskmill.spi.Transition;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Applies attempt outcomes, each only if its job is still {@code RUNNING} under the attempt's lease
 * epoch: the outcome's state, result or error, an event and the attempt's log lines, capped. A
 * completion whose lease was lost changes nothing but an event noting the superseded attempt; the
 * same attempt's outcome sent again (a write retried after its reply was lost) counts as applied.
 *
 * <p>One guarded write per completion in one batch, then the events and log lines of all of them in
 * two more. Rows are read first only for completions that carry log lines, and afterwards only for
 * the ones refused.
 */
public final class Completion {
  /** The most of an error's text (headline and stack) a job keeps. */
  static final int MAX_LAST_ERROR_CHARS = 65_536;

  private Completion() {}

  /**
   * Applies the completions in one transaction.
   *
   * @return for each completion in order, whether it was applied
   */
  public static List<Boolean> apply(Store store, List<JobCompletion> completions) {
    if (completions.isEmpty()) {
      return List.of();
    }
    return store.inTransaction(StoreOp.COMPLETE, tx -> applyIn(tx, completions));
  }

  /** The log lines one completion stores and the job's log count afterwards. */
  record LogPlan(List<JobLogLine> lines, Integer logCount) {}

  private static List<Boolean> applyIn(StoreTx tx, List<JobCompletion> completions) {
    // Log counts bound the lines a job keeps, so only completions that carry lines read them, and
    // lock those rows first so the count read is the count the update meets. The rest go straight
    // to the guarded update: reading and locking every row first cost as much as the update.
    var withLogs = new LinkedHashSet<JobId>();
    completions.forEach(
        done -> {
          if (!done.logs().isEmpty()) {
            withLogs.add(done.id());
          }
        });
    var logCounts = new HashMap<JobId, Integer>();
    if (!withLogs.isEmpty()) {
      for (CompletionTarget t : tx.query(new JobLockCompletionTargets(withLogs))) {
        logCounts.put(t.id(), t.logCount());
      }
    }

    // Sent in id order (stable, so one job's completions keep theirs): rows are locked in id
    // order, and concurrent multi-row writers queue up instead of deadlocking.
    var sent = new ArrayList<Integer>();
    var plans = new LogPlan[completions.size()];
    for (int i = 0; i < completions.size(); i++) {
      JobCompletion done = completions.get(i);
      if (done.logs().isEmpty()) {
        plans[i] = new LogPlan(List.of(), null);
      } else if (logCounts.containsKey(done.id())) {
        plans[i] = planLogs(logCounts.get(done.id()), done);
      } else {
        continue; // no such job: nothing to update and no history to append to
      }
      sent.add(i);
    }
    sent.sort(Comparator.comparing(i -> completions.get(i).id().value()));
    List<Boolean> written =
        tx.jobCompleteAttempts(
            sent.stream().map(i -> write(completions.get(i), plans[i].logCount())).toList());
    var applied = new Boolean[completions.size()];
    Arrays.fill(applied, false);
    var missed = new LinkedHashSet<JobId>();
    // A job's row meets at most one applied completion per batch (it leaves RUNNING), whose
    // attempt is then the row's.
    var appliedAttempt = new HashMap<JobId, Integer>();
    for (int k = 0; k < sent.size(); k++) {
      JobCompletion done = completions.get(sent.get(k));
      JobId id = done.id();
      if (written.get(k)) {
        applied[sent.get(k)] = true;
        appliedAttempt.put(id, done.attempt());
      } else {
        missed.add(id);
      }
    }
    // The states the refused completions met: locked now, after this transaction's own updates.
    var after = new HashMap<JobId, CompletionTarget>();
    if (!missed.isEmpty()) {
      for (CompletionTarget t : tx.query(new JobLockCompletionTargets(missed))) {
        after.put(t.id(), t);
      }
    }

    var current = new HashMap<JobId, JobState>();
    var transitions = new ArrayList<Transition>();
    var logs = new ArrayList<LogEntry>();
    var appliedHere = new HashSet<String>();
    for (int i = 0; i < completions.size(); i++) {
      JobCompletion done = completions.get(i);
      Outcome outcome = done.outcome();
      String error = outcome.error() == null ? null : outcome.error().headline();
      if (applied[i]) {
        appliedHere.add(attemptKey(done));
        current.put(done.id(), outcome.nextState());
        transitions.add(
            new Transition(
                done.id(),
                done.at(),
                JobState.RUNNING,
                outcome.nextState(),
                done.node(),
                done.attempt(),
                error,
                message(outcome)));
        plans[i].lines().forEach(line -> logs.add(new LogEntry(done.id(), line)));
        continue;
      }
      // The state this completion met: an earlier one's outcome, RUNNING before a later one that
      // applied, or else the row as it is (no row: an unknown job, which has no history).
      JobState met =
          current.containsKey(done.id())
              ? current.get(done.id())
              : appliedAttempt.containsKey(done.id())
                  ? JobState.RUNNING
                  : after.containsKey(done.id()) ? after.get(done.id()).state() : null;
      if (met == null || plans[i] == null) {
        continue;
      }
      int rowAttempt =
          appliedAttempt.containsKey(done.id())
              ? appliedAttempt.get(done.id())
              : after.get(done.id()).attempt();
      if (outcome.nextState() == met
          && (appliedHere.contains(attemptKey(done))
              || tx.first(
                      new EventOutcomeRecorded(
                          done.id(), done.attempt(), done.node(), outcome.nextState()))
                  .isPresent())) {
        // The same attempt's outcome again: a write retried after its reply was lost. It is
        // applied already; saying so keeps the history and the node's log from crying "lease lost".
        applied[i] = true;
      } else {
        transitions.add(
            new Transition(
                done.id(),
                done.at(),
                met,
                met,
                done.node(),
                rowAttempt,
                error,
                "late completion of attempt "
                    + done.attempt()
                    + " from node "
                    + done.node()
                    + " ignored: lease lost"));
      }
    }
    tx.eventInsert(transitions);
    tx.logInsert(logs);
    return List.of(applied);
  }

  private static String attemptKey(JobCompletion done) {
    return done.id() + "/" + done.attempt() + "/" + done.node();
  }

  /** {@code logCount} null keeps the row's count: the completion stores no lines. */
  private static OutcomeWrite write(JobCompletion done, Integer logCount) {
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
    String text =
        error.stackTrace().isEmpty()
            ? error.headline()
            : error.headline() + "\n" + error.stackTrace();
    return text.length() <= MAX_LAST_ERROR_CHARS
        ? text
        : text.substring(0, MAX_LAST_ERROR_CHARS - 1) + "…";
  }

  private static String message(Outcome outcome) {
    return switch (outcome) {
      // Stores keep microseconds; the message says the instant as stored.
      case Outcome.Retrying r -> "retry at " + r.retryAt().truncatedTo(ChronoUnit.MICROS);
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
    kept.add(
        new JobLogLine(
            done.attempt(),
            done.at(),
            LogLevel.WARN,
            dropped
                + " log lines dropped: a job keeps at most "
                + max
                + "; later lines are not stored"));
    return new LogPlan(kept, max + 1);
  }
}
