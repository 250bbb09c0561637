package io.taskmill.internal;

import io.taskmill.internal.control.JobCommands;
import io.taskmill.job.BulkResult;
import io.taskmill.job.CancelResult;
import io.taskmill.job.Job;
import io.taskmill.job.JobId;
import io.taskmill.job.JobQuery;
import io.taskmill.job.JobState;
import io.taskmill.job.RetryResult;
import io.taskmill.spi.Ops.JobGetAll;
import io.taskmill.spi.Store;
import io.taskmill.spi.StoreOp;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A user's commands on jobs: cancel and retry, one job or a page of a query. Every change goes
 * through {@link JobCommands}, where the one transition table ({@link JobState#canMoveTo}) decides
 * each job; this class only tells the local engine what changed.
 */
public final class JobControl {
  private final EngineConfig cfg;
  private final Store store;
  private final Dispatcher dispatcher;

  /** Executions running on this node, to interrupt one whose job a user cancels. */
  private final Map<JobId, Execution> active;

  JobControl(EngineConfig cfg, Store store, Dispatcher dispatcher, Map<JobId, Execution> active) {
    this.cfg = cfg;
    this.store = store;
    this.dispatcher = dispatcher;
    this.active = active;
  }

  public CancelResult cancel(JobId id) {
    Objects.requireNonNull(id, "id");
    CancelResult result =
        JobCommands.cancel(store, id, cfg.clock().instant(), cfg.nodeId(), "cancelled by user");
    if (result == CancelResult.CANCEL_REQUESTED) {
      Execution e = active.get(id);
      if (e != null) {
        e.cancel();
      }
    }
    return result;
  }

  public RetryResult retry(JobId id) {
    Objects.requireNonNull(id, "id");
    // The queue never changes, so reading it first is safe; it names the lane to wake.
    Optional<Job> job = store.read(StoreOp.READ, tx -> tx.first(new JobGetAll(List.of(id))));
    return job.isEmpty() ? RetryResult.NOT_FOUND : retry(job.get());
  }

  private RetryResult retry(Job job) {
    RetryResult result = JobCommands.retry(store, job.id(), cfg.clock().instant(), cfg.nodeId());
    if (result == RetryResult.RETRIED) {
      dispatcher.onReady(job.queue());
    }
    return result;
  }

  public BulkResult cancelAll(JobQuery query) {
    List<Job> page =
        store.read(StoreOp.READ, tx -> tx.jobList(Objects.requireNonNull(query, "query")));
    int changed = 0;
    for (Job job : page) {
      // Skipping what cannot change saves a transaction each; the store still decides the rest.
      if (!job.state().canMoveTo(JobState.CANCELLED) || job.cancelRequested()) {
        continue;
      }
      CancelResult r = cancel(job.id());
      if (r == CancelResult.CANCELLED || r == CancelResult.CANCEL_REQUESTED) {
        changed++;
      }
    }
    return result(query, page, changed);
  }

  public BulkResult retryAll(JobQuery query) {
    List<Job> page =
        store.read(StoreOp.READ, tx -> tx.jobList(Objects.requireNonNull(query, "query")));
    int changed = 0;
    for (Job job : page) {
      if (job.state().isRetryable() && retry(job) == RetryResult.RETRIED) {
        changed++;
      }
    }
    return result(query, page, changed);
  }

  private static BulkResult result(JobQuery query, List<Job> page, int changed) {
    JobId next = page.size() < query.limit() ? null : page.getLast().id();
    return new BulkResult(page.size(), changed, next);
  }
}
