package io.taskmill.job;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How many jobs of one queue and type are in one state, and how many of those finished within each
 * of the recent {@link #WINDOWS}: the figures of the stats API (throughput and failure rate).
 *
 * @param finishedWithin for each of {@link #WINDOWS} in order, the jobs that reached this (final)
 *     state within that long before the tally; zeros for a state that is not final
 */
public record JobTally(
    String queue, String type, JobState state, long count, List<Long> finishedWithin) {
  /** The recent windows tallied, shortest first: 1 minute, 5 minutes, 15 minutes and 1 hour. */
  public static final List<Duration> WINDOWS =
      List.of(
          Duration.ofMinutes(1),
          Duration.ofMinutes(5),
          Duration.ofMinutes(15),
          Duration.ofHours(1));

  public JobTally {
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(state, "state");
    finishedWithin = List.copyOf(finishedWithin);
    if (finishedWithin.size() != WINDOWS.size()) {
      throw new IllegalArgumentException(
          "finishedWithin needs one count per window ("
              + WINDOWS.size()
              + "), got "
              + finishedWithin.size());
    }
  }
}
