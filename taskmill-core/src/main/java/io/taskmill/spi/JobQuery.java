package io.taskmill.spi;

import io.taskmill.JobId;
import io.taskmill.job.JobState;

/**
 * A filter for listing jobs; null fields match everything.
 *
 * @param before cursor: only jobs with an id lower than this (ids are time-ordered)
 * @param limit most jobs returned, 1 to 1000
 */
public record JobQuery(JobState state, String type, String queue, JobId before, int limit) {
  public JobQuery {
    if (limit < 1 || limit > 1000) {
      throw new IllegalArgumentException("limit must be between 1 and 1000, was " + limit);
    }
  }

  /** All jobs, newest first, at most {@code limit}. */
  public static JobQuery all(int limit) {
    return new JobQuery(null, null, null, null, limit);
  }
}
