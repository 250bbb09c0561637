package io.taskmill.server.api;

import io.taskmill.CancelResult;
import io.taskmill.HandlerInfo;
import io.taskmill.InvalidJobException;
import io.taskmill.JobId;
import io.taskmill.JobOptions;
import io.taskmill.JobRequest;
import io.taskmill.Retry;
import io.taskmill.Taskmill;
import io.taskmill.access.Role;
import io.taskmill.job.Job;
import io.taskmill.job.JobState;
import io.taskmill.server.http.Exchange;
import io.taskmill.server.http.Json;
import io.taskmill.server.http.Problem;
import io.taskmill.server.http.Route;
import io.taskmill.spi.JobQuery;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/** {@code /api/v1/jobs}: submit one or many, look up, list, cancel, and read a job's history. */
public final class JobsApi {
  /** Most jobs in one batch submission. */
  public static final int MAX_BATCH = 1000;

  private static final Set<String> SUBMISSION_FIELDS = Set.of("type", "payload", "queue",
      "priority", "runAt", "delay", "maxAttempts", "timeout", "tags", "idempotencyKey", "retry");
  private static final Set<String> RETRY_FIELDS = Set.of("backoff", "delay", "maxDelay", "jitter");

  private final Taskmill taskmill;

  public JobsApi(Taskmill taskmill) {
    this.taskmill = taskmill;
  }

  public List<Route> routes() {
    return List.of(
        Route.change("POST", "/api/v1/jobs", Role.OPERATOR, "job.submit", this::submit),
        Route.change("POST", "/api/v1/jobs/batch", Role.OPERATOR, "job.submit-batch", this::batch),
        Route.read("GET", "/api/v1/jobs", Role.VIEWER, this::list),
        Route.read("GET", "/api/v1/jobs/{id}", Role.VIEWER, this::get),
        Route.change("POST", "/api/v1/jobs/{id}/cancel", Role.OPERATOR, "job.cancel",
            this::cancel),
        Route.read("GET", "/api/v1/jobs/{id}/events", Role.VIEWER, this::events),
        Route.read("GET", "/api/v1/jobs/{id}/logs", Role.VIEWER, this::logs));
  }

  private void submit(Exchange ex) throws Exception {
    JsonNode body = ex.json();
    JobRequest request = request(body, "body", ex.header("Idempotency-Key"), ex.requestId());
    JobId id = enqueue(List.of(request), "body").getFirst();
    Job job = taskmill.jobs().get(id).orElseThrow();
    ex.resource("job " + id);
    // An idempotency key seen before answers with the job it made, unchanged.
    boolean existing = request.options().idempotencyKey() != null && !created(job, ex);
    ex.reply(existing ? 200 : 201, JobJson.of(job));
  }

  private static boolean created(Job job, Exchange ex) {
    return ex.requestId().equals(job.correlationId());
  }

  private void batch(Exchange ex) throws Exception {
    JsonNode body = ex.json();
    Fields.onlyKnown(body, "body", Set.of("jobs"));
    JsonNode jobs = body.get("jobs");
    if (jobs == null || !jobs.isArray()) {
      throw Problem.badRequest("jobs must be an array of job submissions", "jobs");
    }
    if (jobs.isEmpty() || jobs.size() > MAX_BATCH) {
      throw Problem.badRequest("jobs must hold 1 to " + MAX_BATCH + " submissions, held "
          + jobs.size(), "jobs");
    }
    var requests = new ArrayList<JobRequest>();
    for (int i = 0; i < jobs.size(); i++) {
      requests.add(request(jobs.get(i), "jobs[" + i + "]", null, ex.requestId()));
    }
    List<JobId> ids = enqueue(requests, "jobs");
    var items = Json.object();
    var array = items.putArray("items");
    ids.forEach(id -> array.add(Json.object().put("id", id.toString())));
    ex.resource(ids.size() + " jobs");
    ex.reply(201, items);
  }

  private List<JobId> enqueue(List<JobRequest> requests, String field) {
    try {
      return taskmill.enqueueAll(requests);
    } catch (InvalidJobException e) {
      throw Problem.unprocessable(io.taskmill.server.http.LogText.clean(e.getMessage()), field);
    }
  }

  /** One submission as a request; problems the engine knows best (types, payloads) are its. */
  private JobRequest request(JsonNode s, String where, String headerKey, String requestId) {
    Fields.onlyKnown(s, where, SUBMISSION_FIELDS);
    String p = Fields.prefix(where);
    String type = Fields.requiredText(s, "type", p + "type");
    HandlerInfo handler = taskmill.handlers().find(type).orElseThrow(() -> Problem.unprocessable(
        "unknown job type '" + Fields.clip(type) + "'; GET /api/v1/handlers lists the types",
        p + "type"));
    JsonNode payload = s.get("payload");
    if (payload == null) {
      throw Problem.badRequest(p + "payload is required (a JSON object for " + type + ")",
          p + "payload");
    }
    var options = JobOptions.defaults();
    String queue = Fields.text(s, "queue", p + "queue");
    if (queue != null) {
      options = options.inQueue(queue);
    }
    Integer priority = Fields.integer(s, "priority", p + "priority");
    if (priority != null) {
      options = options.priority(priority);
    }
    Instant runAt = Fields.instant(Fields.text(s, "runAt", p + "runAt"), p + "runAt");
    Duration delay = Fields.duration(Fields.text(s, "delay", p + "delay"), p + "delay");
    if (runAt != null && delay != null) {
      throw Problem.badRequest("give runAt or delay, not both", p + "delay");
    }
    if (runAt != null) {
      options = options.runAt(runAt);
    }
    if (delay != null) {
      options = options.delay(delay);
    }
    Duration timeout = Fields.duration(Fields.text(s, "timeout", p + "timeout"), p + "timeout");
    if (timeout != null) {
      options = options.timeout(timeout);
    }
    List<String> tags = Fields.strings(s, "tags", p + "tags");
    if (tags != null) {
      options = options.tags(tags.toArray(String[]::new));
    }
    String key = Fields.text(s, "idempotencyKey", p + "idempotencyKey");
    if (key != null && headerKey != null && !key.equals(headerKey)) {
      throw Problem.badRequest("the Idempotency-Key header and idempotencyKey differ; give one",
          "Idempotency-Key");
    }
    key = key != null ? key : headerKey;
    if (key != null) {
      options = options.idempotencyKey(key);
    }
    Retry retry = retry(s, p, handler);
    Integer maxAttempts = Fields.integer(s, "maxAttempts", p + "maxAttempts");
    if (maxAttempts != null) {
      retry = (retry != null ? retry : handler.retry()).maxAttempts(maxAttempts);
    }
    if (retry != null) {
      options = options.retry(retry);
    }
    options = options.correlationId(requestId);
    return JobRequest.ofJson(type, Json.write(payload), options);
  }

  private static Retry retry(JsonNode s, String p, HandlerInfo handler) {
    JsonNode r = s.get("retry");
    if (r == null || r.isNull()) {
      return null;
    }
    Fields.onlyKnown(r, p + "retry", RETRY_FIELDS);
    String backoff = Fields.text(r, "backoff", p + "retry.backoff");
    Duration delay = Fields.duration(Fields.text(r, "delay", p + "retry.delay"),
        p + "retry.delay");
    Duration initial = delay != null ? delay : handler.retry().initialDelay();
    Retry retry = switch (backoff == null ? "exponential" : backoff.toLowerCase(Locale.ROOT)) {
      case "fixed" -> Retry.fixed(initial);
      case "linear" -> Retry.linear(initial);
      case "exponential" -> Retry.exponential(initial);
      default -> throw Problem.badRequest(p + "retry.backoff must be fixed, linear or "
          + "exponential, was '" + Fields.clip(backoff) + "'", p + "retry.backoff");
    };
    retry = retry.maxAttempts(handler.retry().maxAttempts());
    Duration maxDelay = Fields.duration(Fields.text(r, "maxDelay", p + "retry.maxDelay"),
        p + "retry.maxDelay");
    if (maxDelay != null) {
      retry = retry.maxDelay(maxDelay);
    }
    Double jitter = Fields.decimal(r, "jitter", p + "retry.jitter");
    if (jitter != null) {
      retry = retry.jitter(jitter);
    }
    return retry;
  }

  private void get(Exchange ex) {
    ex.reply(200, JobJson.of(job(ex)));
  }

  private Job job(Exchange ex) {
    JobId id = Fields.jobId(ex.param("id"));
    return taskmill.jobs().get(id).orElseThrow(() -> Problem.notFound("no job " + id));
  }

  private static final Set<String> LIST_QUERY = Set.of("state", "type", "queue", "limit", "cursor");

  private void list(Exchange ex) {
    ex.onlyQuery(LIST_QUERY);
    JobState state = state(ex.query("state"));
    int limit = Fields.limit(ex.query("limit"));
    String cursor = ex.query("cursor");
    JobId before = cursor == null ? null : cursor(cursor);
    List<Job> jobs = taskmill.jobs().list(
        new JobQuery(state, ex.query("type"), ex.query("queue"), before, limit + 1));
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
      throw Problem.badRequest("cursor must be a nextCursor value from an earlier page, was '"
          + Fields.clip(text) + "'", "cursor");
    }
  }

  static JobState state(String text) {
    if (text == null) {
      return null;
    }
    try {
      return JobState.valueOf(text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw Problem.badRequest("state must be one of " + java.util.Arrays.toString(
          JobState.values()) + ", was '" + Fields.clip(text) + "'", "state");
    }
  }

  private void cancel(Exchange ex) {
    JobId id = Fields.jobId(ex.param("id"));
    ex.resource("job " + id);
    CancelResult result = taskmill.jobs().cancel(id);
    if (result == CancelResult.NOT_FOUND) {
      throw Problem.notFound("no job " + id);
    }
    if (result == CancelResult.ALREADY_FINISHED) {
      throw Problem.conflict("job " + id + " has already finished; nothing to cancel");
    }
    var json = JobJson.of(taskmill.jobs().get(id).orElseThrow());
    json.put("cancel", result.name());
    ex.reply(result == CancelResult.CANCELLED ? 200 : 202, json);
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
