package io.taskmill.job;

import java.time.Instant;
import java.util.Collection;
import java.util.Set;

/**
 * A filter for listing jobs, newest first; null fields match everything.
 *
 * <pre>{@code
 * JobQuery q = JobQuery.all(100).withState(JobState.DEAD).withTag("import-42");
 * List<Job> page = jobs.list(q);
 * List<Job> next = jobs.list(q.before(page.getLast().id()));
 * }</pre>
 *
 * @param tag only jobs carrying this tag among their tags (the whole tag, not a part of one)
 * @param createdFrom only jobs created at or after this instant
 * @param createdTo only jobs created before this instant (so {@code [createdFrom, createdTo)})
 * @param before cursor: only jobs with an id lower than this (ids are time-ordered)
 * @param limit most jobs returned, 1 to 1000
 * @param queues only jobs in one of these queues, as well as in {@code queue} when that is set
 *     (null: any queue); a server uses it to keep a queue-scoped API key to its queues. Empty
 *     matches no job
 */
public record JobQuery(
    JobState state,
    String type,
    String queue,
    String tag,
    Instant createdFrom,
    Instant createdTo,
    JobId before,
    int limit,
    Set<String> queues) {

  /** Most jobs one query returns. */
  public static final int MAX_LIMIT = 1000;

  public JobQuery {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException(
          "limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
    }
    if (tag != null && tag.isBlank()) {
      throw new IllegalArgumentException(
          "tag must not be blank (no job has a blank tag); pass null to match any tags");
    }
    if (createdFrom != null && createdTo != null && !createdFrom.isBefore(createdTo)) {
      throw new IllegalArgumentException(
          "createdFrom ("
              + createdFrom
              + ") must be before createdTo ("
              + createdTo
              + "); the range is [from, to)");
    }
    queues = queues == null ? null : Set.copyOf(queues);
  }

  /** A query for jobs in any of the queues ({@code queues} null). */
  public JobQuery(
      JobState state,
      String type,
      String queue,
      String tag,
      Instant createdFrom,
      Instant createdTo,
      JobId before,
      int limit) {
    this(state, type, queue, tag, createdFrom, createdTo, before, limit, null);
  }

  /** All jobs, newest first, at most {@code limit}. */
  public static JobQuery all(int limit) {
    return new JobQuery(null, null, null, null, null, null, null, limit);
  }

  /** This query for jobs in {@code state} only (null: any state). */
  public JobQuery withState(JobState state) {
    return new JobQuery(state, type, queue, tag, createdFrom, createdTo, before, limit, queues);
  }

  /** This query for jobs of {@code type} only (null: any type). */
  public JobQuery withType(String type) {
    return new JobQuery(state, type, queue, tag, createdFrom, createdTo, before, limit, queues);
  }

  /** This query for jobs in {@code queue} only (null: any queue). */
  public JobQuery withQueue(String queue) {
    return new JobQuery(state, type, queue, tag, createdFrom, createdTo, before, limit, queues);
  }

  /** This query for jobs in one of {@code queues} only (null: any queue; empty: none). */
  public JobQuery withQueues(Collection<String> queues) {
    return new JobQuery(
        state,
        type,
        queue,
        tag,
        createdFrom,
        createdTo,
        before,
        limit,
        queues == null ? null : Set.copyOf(queues));
  }

  /** This query for jobs carrying {@code tag} only (null: any tags). */
  public JobQuery withTag(String tag) {
    return new JobQuery(state, type, queue, tag, createdFrom, createdTo, before, limit, queues);
  }

  /** This query for jobs created in {@code [from, to)}; either end may be null (open). */
  public JobQuery withCreated(Instant from, Instant to) {
    return new JobQuery(state, type, queue, tag, from, to, before, limit, queues);
  }

  /** The next page: this query for jobs older than {@code cursor} (null: from the newest). */
  public JobQuery before(JobId cursor) {
    return new JobQuery(state, type, queue, tag, createdFrom, createdTo, cursor, limit, queues);
  }
}
