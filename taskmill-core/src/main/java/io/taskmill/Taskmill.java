package io.taskmill;

import io.taskmill.event.Events;
import io.taskmill.handler.HandlerRegistry;
import io.taskmill.job.Enqueued;
import io.taskmill.job.JobId;
import io.taskmill.job.JobOptions;
import io.taskmill.job.JobRequest;
import io.taskmill.schedule.Schedules;
import java.util.List;

/**
 * A running Taskmill engine: enqueue jobs, inspect and control them, then {@link #close()}.
 *
 * <pre>{@code
 * Taskmill tm = Taskmill.builder()
 *     .dataDir(Path.of("data"))
 *     .handler("media.resize", ResizeImage.class, new ResizeImageHandler())
 *     .queue("media", q -> q.concurrency(8))
 *     .start();
 * JobId id = tm.enqueue("media.resize", new ResizeImage("a.png", 640), JobOptions.queue("media"));
 * }</pre>
 *
 * <p>Thread-safe. Every enqueue is durable when it returns.
 */
public interface Taskmill extends AutoCloseable {

  /** A builder for a new engine. */
  static TaskmillBuilder builder() {
    return new TaskmillBuilder();
  }

  /** Enqueues one job with default options. */
  default JobId enqueue(String type, Object payload) {
    return enqueue(type, payload, JobOptions.defaults());
  }

  /**
   * Enqueues one job; with an idempotency key that is already taken, returns the existing job.
   *
   * @param payload an instance of the handler's payload type
   * @throws InvalidJobException naming every problem (unknown type, wrong payload, bad options)
   */
  JobId enqueue(String type, Object payload, JobOptions options);

  /** Enqueues one job whose payload is JSON text, bound to the handler's payload type now. */
  default JobId enqueueJson(String type, String payloadJson, JobOptions options) {
    return enqueueAll(List.of(JobRequest.ofJson(type, payloadJson, options))).get(0);
  }

  /**
   * Enqueues many jobs in one transaction: all are stored or none. Every request is validated first
   * and the first invalid one fails the whole batch. Same as {@link #submitAll}, without saying
   * which jobs were new.
   *
   * @return the job ids in request order
   */
  default List<JobId> enqueueAll(List<JobRequest> requests) {
    return submitAll(requests).stream().map(Enqueued::id).toList();
  }

  /**
   * Enqueues many jobs in one transaction, as {@link #enqueueAll} does, and says for each whether
   * it was created or its idempotency key named a job that already existed (for an API answering
   * 201 or 200).
   *
   * @return one entry per request, in request order
   * @throws InvalidJobException naming every problem of the first invalid request
   */
  List<Enqueued> submitAll(List<JobRequest> requests);

  /** Looks up and controls jobs. */
  Jobs jobs();

  /** Pauses, resumes and describes queues. */
  Queues queues();

  /** The registered handlers. */
  HandlerRegistry handlers();

  /** The nodes sharing this engine's store, and their leader. */
  Cluster cluster();

  /** API keys and the audit trail, shared by every node of the store. */
  Access access();

  /** Workflow definitions, shared by every node of the store and versioned. */
  Workflows workflows();

  /** Recurring jobs, shared by every node of the store and fired by the leader. */
  Schedules schedules();

  /**
   * The cluster-wide event feed: every job's creation and transitions on every node sharing the
   * store, in one order, resumable after any event.
   */
  Events events();

  /** This engine's node id, as written in leases and job events. */
  String nodeId();

  /**
   * Stops gracefully: stops claiming, waits up to the shutdown grace period for running jobs, then
   * releases the leases of jobs still running so another start picks them up.
   */
  @Override
  void close();
}
