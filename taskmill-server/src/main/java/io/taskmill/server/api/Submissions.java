package io.taskmill.server.api;

import io.taskmill.Taskmill;
import io.taskmill.handler.HandlerInfo;
import io.taskmill.job.JobOptions;
import io.taskmill.job.JobRequest;
import io.taskmill.job.Retry;
import io.taskmill.server.http.Json;
import io.taskmill.server.http.Problem;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Reads a job submission out of request JSON, for a job submitted now ({@code POST /api/v1/jobs})
 * and for the job a schedule creates on each tick, so both accept the same fields the same way.
 */
final class Submissions {
  /** What every submission may say about its job. */
  static final Set<String> JOB_FIELDS = Set.of("type", "payload", "queue", "priority",
      "maxAttempts", "timeout", "tags", "retry");
  /** A job submitted now may also say when it runs and how to deduplicate it. */
  static final Set<String> ONE_OFF_FIELDS = union(JOB_FIELDS,
      Set.of("runAt", "delay", "idempotencyKey"));
  private static final Set<String> RETRY_FIELDS = Set.of("backoff", "delay", "maxDelay", "jitter");

  /** A submission's job: its type, payload as JSON text, and options. */
  record Submission(String type, String payloadJson, JobOptions options) {}

  private final Taskmill taskmill;

  Submissions(Taskmill taskmill) {
    this.taskmill = taskmill;
  }

  /**
   * A job to submit now; problems the engine knows best (types, payloads) are its.
   *
   * @param headerKey the Idempotency-Key header, or null
   */
  JobRequest request(JsonNode s, String where, String headerKey, String requestId) {
    Fields.onlyKnown(s, where, ONE_OFF_FIELDS);
    String p = Fields.prefix(where);
    Submission job = job(s, p);
    JobOptions options = job.options();
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
    String key = Fields.text(s, "idempotencyKey", p + "idempotencyKey");
    if (key != null && headerKey != null && !key.equals(headerKey)) {
      throw Problem.badRequest("the Idempotency-Key header and idempotencyKey differ; give one",
          "Idempotency-Key");
    }
    key = key != null ? key : headerKey;
    if (key != null) {
      options = options.idempotencyKey(key);
    }
    options = options.correlationId(requestId);
    return JobRequest.ofJson(job.type(), job.payloadJson(), options);
  }

  /**
   * The queue a submission's job goes to: the one it names, else its handler's default queue
   * (null when the type is unknown, which the engine refuses anyway).
   */
  String queueOf(JobRequest request) {
    return queueOf(request.type(), request.options());
  }

  /** As {@link #queueOf(JobRequest)}, for a schedule's job. */
  String queueOf(String type, JobOptions options) {
    if (options.queue() != null) {
      return options.queue();
    }
    return taskmill.handlers().find(type).map(HandlerInfo::queue).orElse(null);
  }

  /**
   * The job a schedule creates on each tick: no runAt, delay or idempotency key, since each tick
   * sets its job's due time and makes a new job.
   */
  Submission template(JsonNode s, String where) {
    if (s == null) {
      throw Problem.badRequest(where + " is required: the job each tick creates, as in POST "
          + "/api/v1/jobs", where);
    }
    Fields.onlyKnown(s, where, JOB_FIELDS);
    return job(s, Fields.prefix(where));
  }

  private Submission job(JsonNode s, String p) {
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
    Duration timeout = Fields.duration(Fields.text(s, "timeout", p + "timeout"), p + "timeout");
    if (timeout != null) {
      options = options.timeout(timeout);
    }
    List<String> tags = Fields.strings(s, "tags", p + "tags");
    if (tags != null) {
      options = options.tags(tags.toArray(String[]::new));
    }
    Retry retry = retry(s, p, handler);
    Integer maxAttempts = Fields.integer(s, "maxAttempts", p + "maxAttempts");
    if (maxAttempts != null) {
      retry = (retry != null ? retry : handler.retry()).maxAttempts(maxAttempts);
    }
    if (retry != null) {
      options = options.retry(retry);
    }
    return new Submission(type, Json.write(payload), options);
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

  private static Set<String> union(Set<String> a, Set<String> b) {
    var all = new HashSet<>(a);
    all.addAll(b);
    return Set.copyOf(all);
  }
}
