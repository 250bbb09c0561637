package io.taskmill.job;

import java.util.Objects;

/**
 * One job to enqueue, for {@code Taskmill.enqueueAll}.
 *
 * @param payload an instance of the handler's payload type, or a {@link JsonPayload}
 */
public record JobRequest(String type, Object payload, JobOptions options) {
  public JobRequest {
    options = options == null ? JobOptions.defaults() : options;
  }

  /** A job with default options. */
  public static JobRequest of(String type, Object payload) {
    return new JobRequest(type, payload, JobOptions.defaults());
  }

  /** A job with options. */
  public static JobRequest of(String type, Object payload, JobOptions options) {
    return new JobRequest(type, payload, options);
  }

  /** A job whose payload is JSON text, bound to the handler's payload type at enqueue. */
  public static JobRequest ofJson(String type, String json, JobOptions options) {
    return new JobRequest(type, new JsonPayload(json), options);
  }

  /** A payload given as JSON text (from an API or a CLI) rather than as an object. */
  public record JsonPayload(String json) {
    public JsonPayload {
      Objects.requireNonNull(json, "json");
    }
  }
}
