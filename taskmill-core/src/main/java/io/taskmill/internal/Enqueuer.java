package io.taskmill.internal;

import io.taskmill.job.InvalidJobException;
import io.taskmill.job.JobId;
import io.taskmill.job.JobOptions;
import io.taskmill.job.JobRequest;
import io.taskmill.job.JobState;
import io.taskmill.job.Retry;
import io.taskmill.spi.NewJob;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;

/**
 * Turns enqueue requests into validated {@link NewJob}s: every check a caller can fail happens
 * here, before anything is stored, so a bad job never reaches a worker.
 */
final class Enqueuer {
  private final EngineConfig cfg;
  private final Registry registry;

  Enqueuer(EngineConfig cfg, Registry registry) {
    this.cfg = cfg;
    this.registry = registry;
  }

  List<NewJob> prepare(List<JobRequest> requests) {
    if (requests == null || requests.isEmpty()) {
      throw new IllegalArgumentException("enqueueAll needs at least one job request");
    }
    // Stores keep microseconds; truncating here keeps "due now" comparisons exact.
    Instant now = cfg.clock().instant().truncatedTo(ChronoUnit.MICROS);
    var jobs = new ArrayList<NewJob>(requests.size());
    for (int i = 0; i < requests.size(); i++) {
      JobRequest r = requests.get(i);
      if (r == null) {
        throw new IllegalArgumentException("job request #" + i + " is null");
      }
      jobs.add(prepare(r, now));
    }
    return jobs;
  }

  private NewJob prepare(JobRequest r, Instant now) {
    var problems = new ArrayList<String>();
    HandlerDef def = registry.def(r.type());
    if (def == null) {
      throw new InvalidJobException(
          String.valueOf(r.type()),
          List.of(
              "unknown job type '"
                  + r.type()
                  + "'; registered types: "
                  + abbreviate(registry.types().stream().toList())));
    }
    JobOptions o = r.options();
    problems.addAll(o.problems());
    String queue = o.queue() != null ? o.queue() : def.info().queue();
    if (o.queue() != null && problems.isEmpty() && !cfg.queues().containsKey(queue)) {
      problems.add(
          "queue '"
              + queue
              + "' is not served by this engine; declared queues: "
              + cfg.queues().keySet());
    }
    String payloadJson = payloadJson(def, r.payload(), problems);
    if (!problems.isEmpty()) {
      throw new InvalidJobException(r.type(), problems);
    }
    Retry retry = o.retry() != null ? o.retry() : def.retry();
    String retryJson =
        o.retry() != null ? cfg.json().write(retry.toSpec()) : def.defaultRetryJson();
    Duration timeout = o.timeout() != null ? o.timeout() : def.info().timeout();
    int priority = o.priority() != null ? o.priority() : def.info().priority();
    Instant runAt = now;
    if (o.runAt() != null) {
      runAt = o.runAt().truncatedTo(ChronoUnit.MICROS);
    } else if (o.delay() != null) {
      runAt = now.plus(o.delay()).truncatedTo(ChronoUnit.MICROS);
    }
    JobState state = runAt.isAfter(now) ? JobState.SCHEDULED : JobState.ENQUEUED;
    return new NewJob(
        JobId.newId(now.toEpochMilli()),
        r.type(),
        queue,
        state,
        priority,
        runAt,
        payloadJson,
        retry.maxAttempts(),
        retryJson,
        timeout,
        o.idempotencyKey(),
        o.tags(),
        o.correlationId(),
        now,
        null);
  }

  private String payloadJson(HandlerDef def, Object payload, List<String> problems) {
    Class<?> type = def.info().payloadType();
    String json;
    if (payload instanceof JobRequest.JsonPayload(String text)) {
      if (text.length() > JsonCodec.MAX_DOCUMENT_CHARS) {
        problems.add(
            "payload is "
                + text.length()
                + " characters; at most "
                + JsonCodec.MAX_DOCUMENT_CHARS
                + " allowed");
        return null;
      }
      try {
        // Bind, then write back: what is stored is exactly what the handler's type accepts.
        json = cfg.json().write(def.payloadReader().readValue(text));
      } catch (JacksonException e) {
        problems.add(
            "payload does not match " + type.getSimpleName() + ": " + JsonCodec.describe(e));
        return null;
      }
    } else if (payload == null) {
      problems.add("payload is null; pass a " + type.getName() + " (an empty record for no data)");
      return null;
    } else if (!type.isInstance(payload)) {
      problems.add("payload must be a " + type.getName() + ", got " + payload.getClass().getName());
      return null;
    } else {
      try {
        json = cfg.json().write(payload);
      } catch (IllegalArgumentException e) {
        problems.add("payload: " + e.getMessage());
        return null;
      }
    }
    if (json.length() > JsonCodec.MAX_DOCUMENT_CHARS) {
      problems.add(
          "payload is "
              + json.length()
              + " characters as JSON; at most "
              + JsonCodec.MAX_DOCUMENT_CHARS
              + " allowed");
    }
    return json;
  }

  private static String abbreviate(List<String> types) {
    return types.size() <= 20
        ? types.toString()
        : types.subList(0, 20) + " and " + (types.size() - 20) + " more";
  }
}
