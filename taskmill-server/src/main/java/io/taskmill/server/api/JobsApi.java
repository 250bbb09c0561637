package io.taskmill.server.api;

import io.taskmill.Taskmill;
import io.taskmill.access.Role;
import io.taskmill.job.BulkResult;
import io.taskmill.job.CancelResult;
import io.taskmill.job.Enqueued;
import io.taskmill.job.InvalidJobException;
import io.taskmill.job.Job;
import io.taskmill.job.JobId;
import io.taskmill.job.JobQuery;
import io.taskmill.job.JobRequest;
import io.taskmill.job.JobState;
import io.taskmill.job.RetryResult;
import io.taskmill.server.http.Exchange;
import io.taskmill.server.http.GroupCommit;
import io.taskmill.server.http.Json;
import io.taskmill.server.http.LogText;
import io.taskmill.server.http.Principal;
import io.taskmill.server.http.Problem;
import io.taskmill.server.http.Route;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * {@code /api/v1/jobs}: submit one or many, look up, list, cancel, and read a job's history.
 *
 * <p>A key limited to some queues ({@link Principal#queues()}) sees only the jobs of those queues:
 * a job elsewhere answers 404 exactly as a job that does not exist (so its existence does not
 * leak), lists and bulk actions are filtered by the store, and a submission to another queue is
 * refused with 403 before anything is written.
 */
public final class JobsApi implements AutoCloseable {
  /** Most jobs in one batch submission. */
  public static final int MAX_BATCH = 1000;

  private final Taskmill taskmill;

  private final Submissions submissions;

  /** What a single submission gets back: whether it made the job, and the job as stored. */
  private record Submitted(Enqueued enqueued, Job job) {}

  /**
   * Concurrent single submissions share a transaction (one commit) when they arrive together, and
   * one read of the jobs they made.
   */
  private final GroupCommit<JobRequest, Submitted> singles;

  public JobsApi(Taskmill taskmill) {
    this.taskmill = taskmill;
    this.submissions = new Submissions(taskmill);
    this.singles =
        new GroupCommit<>(
            "taskmill-submit",
            200,
            (requests, done) -> {
              List<Enqueued> made;
              try {
                made = taskmill.submitAll(requests);
              } catch (InvalidJobException e) {
                // One bad submission must not fail the others it was grouped with: each on its own.
                made = new ArrayList<>();
                for (int i = 0; i < requests.size(); i++) {
                  try {
                    made.add(
                        requests.size() == 1
                            ? failWith(e)
                            : taskmill.submitAll(List.of(requests.get(i))).getFirst());
                  } catch (RuntimeException own) {
                    made.add(null);
                    done.get(i).completeExceptionally(own);
                  }
                }
              }
              var jobs = new HashMap<JobId, Job>();
              taskmill
                  .jobs()
                  .getAll(made.stream().filter(Objects::nonNull).map(Enqueued::id).toList())
                  .forEach(j -> jobs.put(j.id(), j));
              for (int i = 0; i < made.size(); i++) {
                if (made.get(i) != null) {
                  done.get(i).complete(new Submitted(made.get(i), jobs.get(made.get(i).id())));
                }
              }
            });
  }

  private static Enqueued failWith(RuntimeException e) {
    throw e;
  }

  @Override
  public void close() {
    singles.close();
  }

  public List<Route> routes() {
    return List.of(
        Route.change("POST", "/api/v1/jobs", Role.OPERATOR, "job.submit", this::submit),
        Route.change("POST", "/api/v1/jobs/batch", Role.OPERATOR, "job.submit-batch", this::batch),
        Route.read("GET", "/api/v1/jobs", Role.VIEWER, this::list),
        Route.read("GET", "/api/v1/jobs/{id}", Role.VIEWER, this::get),
        Route.change("POST", "/api/v1/jobs/{id}/cancel", Role.OPERATOR, "job.cancel", this::cancel),
        Route.change("POST", "/api/v1/jobs/{id}/retry", Role.OPERATOR, "job.retry", this::retry),
        Route.change(
            "POST", "/api/v1/jobs/cancel", Role.OPERATOR, "job.cancel-bulk", ex -> bulk(ex, true)),
        Route.change(
            "POST", "/api/v1/jobs/retry", Role.OPERATOR, "job.retry-bulk", ex -> bulk(ex, false)),
        Route.read("GET", "/api/v1/jobs/{id}/events", Role.VIEWER, this::events),
        Route.read("GET", "/api/v1/jobs/{id}/logs", Role.VIEWER, this::logs));
  }

  private void submit(Exchange ex) throws Exception {
    JsonNode body = ex.json();
    JobRequest request =
        submissions.request(body, "body", ex.header("Idempotency-Key"), ex.requestId());
    requireOwnQueue(ex.principal(), request, "queue");
    Submitted submitted;
    try {
      submitted = singles.submit(request);
    } catch (InvalidJobException e) {
      throw Problem.unprocessable(LogText.clean(e.getMessage()), "body");
    }
    Enqueued done = submitted.enqueued();
    // Pruned in the instant since it was written (a tiny retention): read it on its own.
    Job job =
        submitted.job() != null
            ? submitted.job()
            : taskmill
                .jobs()
                .get(done.id())
                .orElseThrow(
                    () ->
                        Problem.notFound(
                            "job " + done.id() + " was accepted and is already gone (pruned)"));
    if (!done.created() && !ex.principal().mayUse(job.queue())) {
      // The idempotency key is taken by a job of another queue: say so, but show nothing of it.
      throw Problem.conflict(
          "the idempotency key is taken by a job this key may not see; "
              + "choose another idempotency key");
    }
    ex.resource("job " + done.id());
    // An idempotency key seen before answers with the job it made, unchanged.
    ex.reply(done.created() ? 201 : 200, JobJson.of(job));
  }

  private void batch(Exchange ex) throws Exception {
    JsonNode jobs = Body.of(ex.json(), "JobBatch", "body").node("jobs");
    if (jobs == null || !jobs.isArray()) {
      throw Problem.badRequest("jobs must be an array of job submissions", "jobs");
    }
    if (jobs.isEmpty() || jobs.size() > MAX_BATCH) {
      throw Problem.badRequest(
          "jobs must hold 1 to " + MAX_BATCH + " submissions, held " + jobs.size(), "jobs");
    }
    var requests = new ArrayList<JobRequest>();
    for (int i = 0; i < jobs.size(); i++) {
      requests.add(submissions.request(jobs.get(i), "jobs[" + i + "]", null, ex.requestId()));
    }
    // Every submission is checked before any is written: a batch is all or none.
    for (int i = 0; i < requests.size(); i++) {
      requireOwnQueue(ex.principal(), requests.get(i), "jobs[" + i + "].queue");
    }
    List<Enqueued> done = enqueue(requests, "jobs");
    var foreign = new HashSet<JobId>();
    if (ex.principal().scoped()) {
      // A taken idempotency key answers with the job that has it; one in another queue stays
      // hidden.
      taskmill
          .jobs()
          .getAll(done.stream().filter(e -> !e.created()).map(Enqueued::id).toList())
          .stream()
          .filter(j -> !ex.principal().mayUse(j.queue()))
          .forEach(j -> foreign.add(j.id()));
    }
    var items = Json.object();
    var array = items.putArray("items");
    done.forEach(
        e ->
            array.add(
                foreign.contains(e.id())
                    ? Json.object()
                        .putNull("id")
                        .put("created", false)
                        .put(
                            "detail",
                            "the idempotency key " + "is taken by a job this key may not see")
                    : Json.object().put("id", e.id().toString()).put("created", e.created())));
    ex.resource(done.size() + " jobs");
    ex.reply(201, items);
  }

  /** 403 when a scoped caller submits to a queue it may not use (named, or the handler's). */
  private void requireOwnQueue(Principal who, JobRequest request, String field) {
    if (!who.scoped()) {
      return;
    }
    String queue = submissions.queueOf(request);
    if (!who.mayUse(queue)) {
      throw who.foreignQueue(queue, field);
    }
  }

  private List<Enqueued> enqueue(List<JobRequest> requests, String field) {
    try {
      return taskmill.submitAll(requests);
    } catch (InvalidJobException e) {
      throw Problem.unprocessable(LogText.clean(e.getMessage()), field);
    }
  }

  private void get(Exchange ex) {
    ex.reply(200, JobJson.of(job(ex)));
  }

  /**
   * The job of the path, or 404; a job in a queue the caller may not use is answered with the very
   * same 404, so a scoped key cannot tell it from a job that does not exist.
   */
  private Job job(Exchange ex) {
    JobId id = Fields.jobId(ex.param("id"));
    return taskmill
        .jobs()
        .get(id)
        .filter(j -> ex.principal().mayUse(j.queue()))
        .orElseThrow(() -> notFound(id));
  }

  private static Problem notFound(JobId id) {
    return Problem.notFound("no job " + id);
  }

  private static final Set<String> LIST_QUERY =
      Set.of("state", "type", "queue", "tag", "from", "to", "limit", "cursor");

  /**
   * The list filters of the query string (limit and cursor apart), as a store query, limited to the
   * caller's queues when it is scoped (a named queue outside them then matches nothing).
   */
  private static JobQuery filter(Exchange ex, int limit) {
    JobQuery q = unscopedFilter(ex, limit);
    return ex.principal().scoped() ? q.withQueues(ex.principal().queues()) : q;
  }

  private static JobQuery unscopedFilter(Exchange ex, int limit) {
    ex.onlyQuery(LIST_QUERY);
    String cursor = ex.query("cursor");
    Instant from = Fields.instant(ex.query("from"), "from");
    Instant to = Fields.instant(ex.query("to"), "to");
    try {
      return new JobQuery(
          state(ex.query("state")),
          ex.query("type"),
          ex.query("queue"),
          ex.query("tag"),
          from,
          to,
          cursor == null ? null : cursor(cursor),
          limit);
    } catch (IllegalArgumentException e) {
      throw Problem.badRequest(Fields.clip(e.getMessage()), from != null ? "from" : "tag");
    }
  }

  private void list(Exchange ex) {
    int limit = Fields.limit(ex.query("limit"));
    List<Job> jobs = taskmill.jobs().list(filter(ex, limit + 1));
    var json = Json.object();
    var items = json.putArray("items");
    jobs.stream().limit(limit).forEach(j -> items.add(JobJson.of(j)));
    Fields.page(json, jobs.size() > limit ? jobs.get(limit - 1).id().toString() : null);
    ex.reply(200, json);
  }

  private static JobId cursor(String text) {
    try {
      return JobId.parse(text);
    } catch (IllegalArgumentException e) {
      throw Problem.badRequest(
          "cursor must be a nextCursor value from an earlier page, was '" + Fields.clip(text) + "'",
          "cursor");
    }
  }

  static JobState state(String text) {
    if (text == null) {
      return null;
    }
    try {
      return JobState.valueOf(text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw Problem.badRequest(
          "state must be one of "
              + Arrays.toString(JobState.values())
              + ", was '"
              + Fields.clip(text)
              + "'",
          "state");
    }
  }

  private void cancel(Exchange ex) {
    JobId id = Fields.jobId(ex.param("id"));
    ex.resource("job " + id);
    job(ex); // 404 before acting on a job the caller may not see; its queue never changes
    CancelResult result = taskmill.jobs().cancel(id);
    if (result == CancelResult.NOT_FOUND) {
      throw notFound(id);
    }
    if (result == CancelResult.ALREADY_FINISHED) {
      throw Problem.conflict("job " + id + " has already finished; nothing to cancel");
    }
    var json = JobJson.of(taskmill.jobs().get(id).orElseThrow());
    json.put("cancel", result.name());
    ex.reply(result == CancelResult.CANCELLED ? 200 : 202, json);
  }

  private void retry(Exchange ex) {
    JobId id = Fields.jobId(ex.param("id"));
    ex.resource("job " + id);
    job(ex);
    RetryResult result = taskmill.jobs().retry(id);
    if (result == RetryResult.NOT_FOUND) {
      throw notFound(id);
    }
    Job job = taskmill.jobs().get(id).orElseThrow();
    if (result == RetryResult.NOT_RETRYABLE) {
      throw Problem.conflict(
          "job " + id + " is " + job.state() + "; only DEAD or CANCELLED jobs " + "can be retried");
    }
    ex.reply(200, JobJson.of(job));
  }

  /**
   * Cancels or retries one page of the jobs the query string selects; the answer's nextCursor
   * continues with the next page, so a client loops until it is null.
   */
  private void bulk(Exchange ex, boolean cancel) {
    int limit = Fields.limit(ex.query("limit"));
    JobQuery query = filter(ex, limit);
    if (query.state() == null
        && query.type() == null
        && query.queue() == null
        && query.tag() == null
        && query.createdFrom() == null
        && query.createdTo() == null) {
      throw Problem.badRequest(
          "give at least one filter (state, type, queue, tag, from, to); "
              + "a bulk "
              + (cancel ? "cancel" : "retry")
              + " of every job is refused",
          "state");
    }
    BulkResult result = cancel ? taskmill.jobs().cancelAll(query) : taskmill.jobs().retryAll(query);
    ex.resource(
        (cancel ? "cancel " : "retry ") + result.changed() + " of " + result.examined() + " jobs");
    var json = Json.object().put("examined", result.examined()).put("changed", result.changed());
    Fields.page(json, result.next() == null ? null : result.next().toString());
    ex.reply(200, json);
  }

  private void events(Exchange ex) {
    Job job = job(ex);
    var json = Json.object();
    var items = json.putArray("items");
    taskmill.jobs().events(job.id()).forEach(e -> items.add(JobJson.of(e)));
    Fields.page(json, null);
    ex.reply(200, json);
  }

  private void logs(Exchange ex) {
    Job job = job(ex);
    var json = Json.object();
    var items = json.putArray("items");
    taskmill.jobs().logs(job.id()).forEach(l -> items.add(JobJson.of(l)));
    Fields.page(json, null);
    ex.reply(200, json);
  }
}
