package io.taskmill.spi;

import io.taskmill.job.JobId;
import io.taskmill.job.JobState;
import java.time.Instant;

/**
 * One row of the event feed ({@link StoreTx#eventFeed}): a job transition or an outbox row, both
 * numbered by one sequence.
 */
public sealed interface FeedRow {

  /**
   * The row's number; unique across both kinds of row, increasing in the order rows were written.
   */
  long seq();

  /** When the change happened, by the engine's clock of the node that made it. */
  Instant at();

  /**
   * A job transition ({@code tm_job_event}) with its job's type and queue.
   *
   * @param type the job's type, or null when the job has been pruned meanwhile
   * @param queue the job's queue, or null when the job has been pruned meanwhile
   * @param from the state before
   */
  record Transition(
      long seq,
      Instant at,
      JobId jobId,
      String type,
      String queue,
      JobState from,
      JobState to,
      String node,
      int attempt,
      String error,
      String message)
      implements FeedRow {}

  /**
   * A change that is not a job transition ({@code tm_outbox}); its body is JSON whose shape the
   * kind names (for {@value CreatedJobs#KIND}: {@link CreatedJobs}).
   */
  record Outbox(long seq, Instant at, String kind, String body) implements FeedRow {}
}
