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
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;

/**
 * Reads a job submission out of request JSON, for a job submitted now ({@code POST /api/v1/jobs})
 * and for the job a schedule creates on each tick, so both accept the same fields the same way.
 */
final class Submissions {
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
  JobRequest request(JsonNode json, String where, String headerKey, String requestId) {
    Body s = Body.of(json, "JobSubmission", where);
    Submission job = job(s);
    JobOptions options = job.options();
    Instant runAt = Fields.instant(s.text("runAt"), s.field("runAt"));
    Duration delay = Fields.duration(s.text("delay"), s.field("delay"));
    if (runAt != null && delay != null) {
      throw Problem.badRequest("give runAt or delay, not both", s.field("delay"));
    }
    if (runAt != null) {
      options = options.runAt(runAt);
    }
    if (delay != null) {
      options = options.delay(delay);
    }
    String key = s.text("idempotencyKey");
    if (key != null && headerKey != null && !key.equals(headerKey)) {
      throw Problem.badRequest(
          "the Idempotency-Key header and idempotencyKey differ; give one", "Idempotency-Key");
    }
    key = key != null ? key : headerKey;
    if (key != null) {
      options = options.idempotencyKey(key);
    }
    options = options.correlationId(requestId);
    return JobRequest.ofJson(job.type(), job.payloadJson(), options);
  }

  /**
   * The queue a submission's job goes to: the one it names, else its handler's default queue (null
   * when the type is unknown, which the engine refuses anyway).
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
  Submission template(JsonNode json, String where) {
    if (json == null) {
      throw Problem.badRequest(
          where + " is required: the job each tick creates, as in POST " + "/api/v1/jobs", where);
    }
    return job(Body.of(json, "ScheduleJob", where));
  }

  private Submission job(Body s) {
    String type = s.requiredText("type");
    HandlerInfo handler =
        taskmill
            .handlers()
            .find(type)
            .orElseThrow(
                () ->
                    Problem.unprocessable(
                        "unknown job type '"
                            + Fields.clip(type)
                            + "'; GET /api/v1/handlers lists the types",
                        s.field("type")));
    JsonNode payload = s.node("payload");
    if (payload == null) {
      throw Problem.badRequest(
          s.field("payload") + " is required (a JSON object for " + type + ")", s.field("payload"));
    }
    var options = JobOptions.defaults();
    String queue = s.text("queue");
    if (queue != null) {
      options = options.inQueue(queue);
    }
    Integer priority = s.integer("priority");
    if (priority != null) {
      options = options.priority(priority);
    }
    Duration timeout = Fields.duration(s.text("timeout"), s.field("timeout"));
    if (timeout != null) {
      options = options.timeout(timeout);
    }
    List<String> tags = s.strings("tags");
    if (tags != null) {
      options = options.tags(tags.toArray(String[]::new));
    }
    Retry retry = retry(s.body("retry"), handler);
    Integer maxAttempts = s.integer("maxAttempts");
    if (maxAttempts != null) {
      retry = (retry != null ? retry : handler.retry()).maxAttempts(maxAttempts);
    }
    if (retry != null) {
      options = options.retry(retry);
    }
    return new Submission(type, Json.write(payload), options);
  }

  private static Retry retry(Body r, HandlerInfo handler) {
    if (r == null) {
      return null;
    }
    String backoff = r.text("backoff");
    Duration delay = Fields.duration(r.text("delay"), r.field("delay"));
    Duration initial = delay != null ? delay : handler.retry().initialDelay();
    Retry retry =
        switch (backoff == null ? "exponential" : backoff.toLowerCase(Locale.ROOT)) {
          case "fixed" -> Retry.fixed(initial);
          case "linear" -> Retry.linear(initial);
          case "exponential" -> Retry.exponential(initial);
          default ->
              throw Problem.badRequest(
                  r.field("backoff")
                      + " must be fixed, linear or "
                      + "exponential, was '"
                      + Fields.clip(backoff)
                      + "'",
                  r.field("backoff"));
        };
    retry = retry.maxAttempts(handler.retry().maxAttempts());
    Duration maxDelay = Fields.duration(r.text("maxDelay"), r.field("maxDelay"));
    if (maxDelay != null) {
      retry = retry.maxDelay(maxDelay);
    }
    Double jitter = r.decimal("jitter");
    if (jitter != null) {
      retry = retry.jitter(jitter);
    }
    return retry;
  }
}
