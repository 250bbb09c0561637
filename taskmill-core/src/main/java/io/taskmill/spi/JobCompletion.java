package io.taskmill.spi;

import io.taskmill.job.JobId;
import io.taskmill.job.JobLogLine;
import io.taskmill.job.Outcome;
import java.time.Instant;
import java.util.List;

/**
 * The outcome of one attempt, applied only under the lease epoch it ran with.
 *
 * @param logs log lines the attempt wrote, stored whatever the outcome
 * @param maxLogLines most log lines kept per job; lines beyond it are dropped
 */
public record JobCompletion(
    JobId id,
    long leaseEpoch,
    int attempt,
    Outcome outcome,
    String node,
    Instant at,
    List<JobLogLine> logs,
    int maxLogLines) {

  public JobCompletion {
    logs = List.copyOf(logs);
  }
}
