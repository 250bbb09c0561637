package io.taskmill.event;

import io.taskmill.job.JobId;
import io.taskmill.job.JobState;
import java.time.Instant;

/**
 * One event of the cluster-wide feed ({@link Events}): what happened to one job, in one order every
 * node agrees on.
 *
 * <p>Events come in {@code seq} order. Several events may share a {@code seq}: the jobs one enqueue
 * created are one stored row. {@code lastInSeq} marks the last event of a seq that a subscription
 * receives, so a consumer that records {@code seq} as its position only then (the SSE {@code id} of
 * the HTTP API) resumes after a reconnect without losing or repeating any.
 *
 * @param seq the position in the feed, to resume after ({@link Events#subscribe})
 * @param lastInSeq whether no further event of this seq follows in this subscription
 * @param at when it happened, by the clock of the node that made the change
 * @param jobId the job
 * @param type the job's type; null for a transition of a job pruned since
 * @param queue the job's queue; null for a transition of a job pruned since
 * @param from the state before; null for {@link EventKind#JOB_CREATED}
 * @param to the state after
 * @param node the node that made the change
 * @param attempt the job's attempt number then (0 before the first)
 * @param error the error's headline, or null
 * @param message a note such as "rescued from node X: its lease expired", or null
 * @param runAt when a created job is due; null for other kinds
 */
public record FeedEvent(
    long seq,
    boolean lastInSeq,
    Instant at,
    EventKind kind,
    JobId jobId,
    String type,
    String queue,
    JobState from,
    JobState to,
    String node,
    int attempt,
    String error,
    String message,
    Instant runAt) {

  /** This event with {@code lastInSeq} set as given. */
  public FeedEvent withLastInSeq(boolean last) {
    return last == lastInSeq
        ? this
        : new FeedEvent(
            seq, last, at, kind, jobId, type, queue, from, to, node, attempt, error, message,
            runAt);
  }
}
