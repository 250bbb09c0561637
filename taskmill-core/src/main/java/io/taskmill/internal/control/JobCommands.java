package io.taskmill.internal.control;

import io.taskmill.job.CancelResult;
import io.taskmill.job.Job;
import io.taskmill.job.JobId;
import io.taskmill.job.JobState;
import io.taskmill.job.RetryResult;
import io.taskmill.spi.Ops.JobFinishWaiting;
import io.taskmill.spi.Ops.JobGetAll;
import io.taskmill.spi.Ops.JobRequestCancel;
import io.taskmill.spi.Ops.JobRestart;
import io.taskmill.spi.Store;
import io.taskmill.spi.StoreOp;
import io.taskmill.spi.Transition;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A user's cancel and manual retry of one job, decided from the one transition table ({@link
 * JobState#canMoveTo}): each reads the job, decides, and writes under the version read; a row
 * changed between read and write (claimed, renewed, completed) is read again, in the same
 * transaction.
 */
public final class JobCommands {
  /** A cancel or manual retry reads again this often when the row keeps changing. */
  private static final int CHANGE_TRIES = 20;

  private JobCommands() {}

  /**
   * Cancels a job: a waiting job becomes {@code CANCELLED}; a running one gets its cancel flag set
   * (its node stops it); a finished one is left alone. {@code reason} goes into the event.
   */
  public static CancelResult cancel(
      Store store, JobId id, Instant now, String node, String reason) {
    return store.inTransaction(
        StoreOp.CANCEL,
        tx -> {
          for (int tries = 0; tries < CHANGE_TRIES; tries++) {
            Optional<Job> found = tx.first(new JobGetAll(List.of(id)));
            if (found.isEmpty()) {
              return CancelResult.NOT_FOUND;
            }
            Job job = found.get();
            if (!job.state().canMoveTo(JobState.CANCELLED)) {
              return CancelResult.ALREADY_FINISHED;
            }
            if (job.state() == JobState.RUNNING) {
              if (job.cancelRequested()) {
                return CancelResult.CANCEL_REQUESTED;
              }
              if (tx.change(new JobRequestCancel(id, job.version(), now)) == 1) {
                tx.eventInsert(
                    List.of(
                        new Transition(
                            id,
                            now,
                            job.state(),
                            job.state(),
                            node,
                            job.attempt(),
                            null,
                            withReason("cancel requested", reason))));
                return CancelResult.CANCEL_REQUESTED;
              }
            } else if (tx.change(
                    new JobFinishWaiting(id, job.version(), job.state(), JobState.CANCELLED, now))
                == 1) {
              tx.eventInsert(
                  List.of(
                      new Transition(
                          id,
                          now,
                          job.state(),
                          JobState.CANCELLED,
                          node,
                          job.attempt(),
                          null,
                          withReason("cancelled", reason))));
              return CancelResult.CANCELLED;
            }
          }
          throw new IllegalStateException(
              "job " + id + " kept changing; gave up cancelling after " + CHANGE_TRIES + " tries");
        });
  }

  /**
   * Retries a finished job by hand: one in a {@linkplain JobState#isRetryable() retryable} state
   * starts afresh as {@code ENQUEUED}, due at {@code now}, with attempt 0 and its last error kept;
   * any other state is left alone. Other processes sharing the store hear its queue has work.
   */
  public static RetryResult retry(Store store, JobId id, Instant now, String node) {
    return store.inTransaction(
        StoreOp.RETRY,
        tx -> {
          for (int tries = 0; tries < CHANGE_TRIES; tries++) {
            Optional<Job> found = tx.first(new JobGetAll(List.of(id)));
            if (found.isEmpty()) {
              return RetryResult.NOT_FOUND;
            }
            Job job = found.get();
            if (!job.state().isRetryable()) {
              return RetryResult.NOT_RETRYABLE;
            }
            if (tx.change(new JobRestart(id, job.version(), job.state(), JobState.ENQUEUED, now))
                == 1) {
              tx.eventInsert(
                  List.of(
                      new Transition(
                          id,
                          now,
                          job.state(),
                          JobState.ENQUEUED,
                          node,
                          0,
                          null,
                          "retried by " + node)));
              tx.notifyReady(Set.of(job.queue()));
              return RetryResult.RETRIED;
            }
            // A concurrent retry, or pruned since: look again.
          }
          throw new IllegalStateException(
              "job " + id + " kept changing; gave up retrying it after " + CHANGE_TRIES + " tries");
        });
  }

  private static String withReason(String what, String reason) {
    return reason == null || reason.isBlank() ? what : what + ": " + reason;
  }
}
