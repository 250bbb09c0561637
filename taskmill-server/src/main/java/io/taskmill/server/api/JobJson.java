package io.taskmill.server.api;

import io.taskmill.job.Job;
import io.taskmill.job.JobEvent;
import io.taskmill.job.JobLogLine;
import io.taskmill.server.http.Json;
import java.time.Instant;
import tools.jackson.databind.node.ObjectNode;

/** The API's JSON for jobs, their events and log lines (field names as in issue 6). */
final class JobJson {
  private JobJson() {}

  static ObjectNode of(Job job) {
    var json =
        Json.object()
            .put("id", job.id().toString())
            .put("type", job.type())
            .put("queue", job.queue())
            .put("priority", job.priority())
            .put("state", job.state().name())
            .put("attempts", job.attempt())
            .put("maxAttempts", job.maxAttempts());
    Json.putStored(json, "payload", job.payloadJson());
    Json.putStored(json, "result", job.resultJson());
    json.put("lastError", job.lastError());
    var tags = json.putArray("tags");
    job.tags().forEach(tags::add);
    json.put("idempotencyKey", job.idempotencyKey());
    json.put("schedule", job.schedule());
    json.put("correlationId", job.correlationId());
    time(json, "runAt", job.runAt());
    time(json, "createdAt", job.createdAt());
    time(json, "startedAt", job.startedAt());
    time(json, "finishedAt", job.finishedAt());
    json.put("timeout", job.timeout() == null ? null : job.timeout().toString());
    json.put("cancelRequested", job.cancelRequested());
    return json;
  }

  static ObjectNode of(JobEvent e) {
    var json = Json.object().put("seq", e.seq());
    time(json, "at", e.at());
    json.put("from", e.from() == null ? null : e.from().name())
        .put("to", e.to().name())
        .put("node", e.node())
        .put("attempt", e.attempt())
        .put("error", e.error())
        .put("message", e.message());
    return json;
  }

  static ObjectNode of(JobLogLine line) {
    var json = Json.object().put("attempt", line.attempt());
    time(json, "at", line.at());
    return json.put("level", line.level().name()).put("message", line.message());
  }

  static void time(ObjectNode json, String name, Instant at) {
    json.put(name, at == null ? null : at.toString());
  }
}
