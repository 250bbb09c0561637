package io.taskmill.queue;

import io.taskmill.job.JobState;
import java.time.Instant;
import java.util.Map;

/**
 * One queue as the store sees it across the cluster.
 *
 * @param counts jobs in the queue by state (states with none are absent)
 * @param oldestReadyAt the earliest {@code runAt} among its {@code ENQUEUED} jobs, or null
 * @param finishedSince jobs of the queue that finished at or after the time asked about
 */
public record QueueStat(
    String queue, Map<JobState, Long> counts, Instant oldestReadyAt, long finishedSince) {
  public QueueStat {
    counts = Map.copyOf(counts);
  }
}
