package io.taskmill.handler;

import io.taskmill.job.JobId;
import io.taskmill.lock.Locks;
import java.util.List;
import java.util.Optional;

/** What a running handler knows about its job and how it talks back to the engine. */
public interface JobContext {
  /** The job's id. */
  JobId jobId();

  /** The job's type, e.g. {@code media.resize}. */
  String type();

  /** The queue it runs in. */
  String queue();

  /** This attempt's number, starting at 1. */
  int attempt();

  /** How many attempts the job may have in all. */
  int maxAttempts();

  /** The job's tags. */
  List<String> tags();

  /** The correlation id given at enqueue, if any. */
  Optional<String> correlationId();

  /** A logger whose lines go to SLF4J and are stored with the job. */
  JobLogger log();

  /**
   * True once the handler should stop: the job was cancelled, timed out, its lease was lost, or the
   * node is shutting down. The thread is also interrupted in those cases.
   */
  boolean isCancelled();

  /** Throws {@link java.util.concurrent.CancellationException} when {@link #isCancelled()}. */
  void checkCancelled();

  /**
   * False once this node no longer holds the job's lease (another node may run it now); anything
   * the handler does after that may be duplicated. It turns false as soon as the lease's expiry
   * passes without a renewal (after a long pause or while the store is unreachable), before any
   * renewal reports the loss.
   */
  boolean isLeaseValid();

  /**
   * Named locks this attempt can take to keep other jobs off a shared resource, on every node;
   * whatever it still holds is released when the attempt ends. See {@link Locks}.
   */
  Locks locks();
}
