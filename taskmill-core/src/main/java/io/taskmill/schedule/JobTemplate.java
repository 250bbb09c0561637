package io.taskmill.schedule;

import java.time.Duration;
import java.util.List;

/**
 * The job each tick of a schedule creates, with every default resolved when the schedule was saved,
 * so any node can fire it, also one that does not run its type.
 *
 * @param payloadJson the payload, already bound to the handler's payload type and written back
 * @param timeout per-attempt timeout, or null for none
 */
public record JobTemplate(
    String type,
    String queue,
    int priority,
    String payloadJson,
    int maxAttempts,
    String retryPolicyJson,
    Duration timeout,
    List<String> tags) {

  public JobTemplate {
    tags = List.copyOf(tags);
  }
}
