package io.taskmill.spi;

import io.taskmill.job.Job;
import java.time.Instant;
import java.util.List;

/**
 * What a claim took.
 *
 * @param jobs the claimed jobs as they are after the claim, in claim order
 * @param retryAt when a rate limit that held back jobs of this claim opens its next window, or null
 *     when no rate limit ran out; claiming again before then cannot start more of those types
 */
public record ClaimedJobs(List<Job> jobs, Instant retryAt) {
  public ClaimedJobs {
    jobs = List.copyOf(jobs);
  }

  /** Nothing claimed and nothing to retry for. */
  public static ClaimedJobs none() {
    return new ClaimedJobs(List.of(), null);
  }
}
