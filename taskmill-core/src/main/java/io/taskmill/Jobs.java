package io.taskmill;

import io.taskmill.handler.JobContext;
import io.taskmill.internal.Engine;
import io.taskmill.job.BulkResult;
import io.taskmill.job.CancelResult;
import io.taskmill.job.Job;
import io.taskmill.job.JobCount;
import io.taskmill.job.JobEvent;
import io.taskmill.job.JobId;
import io.taskmill.job.JobLogLine;
import io.taskmill.job.JobQuery;
import io.taskmill.job.JobState;
import io.taskmill.job.JobTally;
import io.taskmill.job.RetryResult;
import io.taskmill.spi.Ops.JobEvents;
import io.taskmill.spi.Ops.JobGetAll;
import io.taskmill.spi.Ops.JobLogs;
import io.taskmill.spi.StoreOp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/** Looks up and controls jobs. */
public final class Jobs {
  /** Most jobs {@link #getAll} reads at once, so one call stays one bounded query. */
  public static final int MAX_GET_ALL = 1000;

  private final Engine engine;

  Jobs(Engine engine) {
    this.engine = engine;
  }

  /** The job, if it exists. */
  public Optional<Job> get(JobId id) {
    return engine
        .store()
        .read(
            StoreOp.READ, tx -> tx.first(new JobGetAll(List.of(Objects.requireNonNull(id, "id")))));
  }

  /** The jobs among {@code ids} that exist, in no particular order, read at once. */
  public List<Job> getAll(Collection<JobId> ids) {
    if (ids.size() > MAX_GET_ALL) {
      throw new IllegalArgumentException(
          "getAll reads at most "
              + MAX_GET_ALL
              + " jobs at once, "
              + "was asked for "
              + ids.size()
              + "; split the ids");
    }
    return engine.store().read(StoreOp.READ, tx -> tx.query(new JobGetAll(List.copyOf(ids))));
  }

  /** The job's result decoded as {@code type}, when it succeeded with a result. */
  public <R> Optional<R> result(JobId id, Class<R> type) {
    return get(id)
        .filter(j -> j.resultJson() != null)
        .map(j -> engine.json().read(j.resultJson(), type));
  }

  /**
   * Cancels a job: a waiting one at once; a running one cooperatively (its thread is interrupted
   * and {@link JobContext#isCancelled()} turns true).
   */
  public CancelResult cancel(JobId id) {
    return engine.control().cancel(id);
  }

  /**
   * Runs a {@code DEAD} or {@code CANCELLED} job again: it becomes {@code ENQUEUED}, due now, with
   * a fresh attempt budget (attempt back to 0); its result, start and finish times are cleared, its
   * last error is kept until the next outcome, and one job event records the retry. Any other state
   * is {@link RetryResult#NOT_RETRYABLE} and changes nothing.
   */
  public RetryResult retry(JobId id) {
    return engine.control().retry(id);
  }

  /**
   * Cancels, as {@link #cancel} does one by one, the jobs of one page of {@code query}: at most its
   * {@code limit}, newest first, after its cursor. Waiting jobs are cancelled; running ones asked
   * to stop (counted as changed once, when asked); finished ones left alone. To cover every match,
   * call again with {@link JobQuery#before} set to the result's {@link BulkResult#next()} until it
   * is null:
   *
   * <pre>{@code
   * JobQuery q = JobQuery.all(500).withTag("import-42");
   * for (BulkResult r = jobs.cancelAll(q); r.hasNext(); r = jobs.cancelAll(q = q.before(r.next()))) {}
   * }</pre>
   */
  public BulkResult cancelAll(JobQuery query) {
    return engine.control().cancelAll(query);
  }

  /**
   * Retries, as {@link #retry} does one by one, the {@code DEAD} and {@code CANCELLED} jobs of one
   * page of {@code query}: at most its {@code limit} examined, newest first, after its cursor. Loop
   * with the cursor as for {@link #cancelAll}; calling again without it could retry a job that
   * failed again meanwhile.
   */
  public BulkResult retryAll(JobQuery query) {
    return engine.control().retryAll(query);
  }

  /** The job's history, oldest first. */
  public List<JobEvent> events(JobId id) {
    return engine
        .store()
        .read(StoreOp.READ, tx -> tx.query(new JobEvents(Objects.requireNonNull(id, "id"))));
  }

  /** Log lines the job's handler wrote, oldest first. */
  public List<JobLogLine> logs(JobId id) {
    return engine
        .store()
        .read(StoreOp.READ, tx -> tx.query(new JobLogs(Objects.requireNonNull(id, "id"))));
  }

  /** Jobs matching a query, newest first, at most its limit after its cursor. */
  public List<Job> list(JobQuery query) {
    return engine
        .store()
        .read(StoreOp.READ, tx -> tx.jobList(Objects.requireNonNull(query, "query")));
  }

  /** Counts by type and state. */
  public List<JobCount> counts() {
    // Summed from the tallies by type and state, in the order the store lists them.
    var counts = new TreeMap<String, TreeMap<String, Long>>();
    for (JobTally t : engine.store().read(StoreOp.READ, tx -> tx.jobTallies(engine.now()))) {
      counts
          .computeIfAbsent(t.type(), k -> new TreeMap<>())
          .merge(t.state().name(), t.count(), Long::sum);
    }
    var list = new ArrayList<JobCount>();
    counts.forEach(
        (type, byState) ->
            byState.forEach(
                (state, n) -> list.add(new JobCount(type, JobState.valueOf(state), n))));
    return list;
  }

  /**
   * Counts by queue, type and state, each with how many of its jobs finished within each of the
   * recent {@link JobTally#WINDOWS}, as of the engine's clock: throughput and failure rates.
   */
  public List<JobTally> tallies() {
    return engine.store().read(StoreOp.READ, tx -> tx.jobTallies(engine.now()));
  }
}
