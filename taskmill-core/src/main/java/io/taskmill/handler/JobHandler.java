package io.taskmill.handler;

/**
 * Code that runs one job type; its payload is a record (or other JSON-bindable type) decoded from
 * the job's JSON.
 *
 * <p>Handlers should be idempotent: Taskmill runs every job at least once, and more than once only
 * when a node dies or loses its lease mid-attempt. Throwing fails the attempt (retried per policy).
 * Long handlers should check {@link JobContext#isCancelled()} or respond to interruption.
 *
 * @param <P> the payload type
 */
@FunctionalInterface
public interface JobHandler<P> {
  /** Runs one attempt. */
  void run(P payload, JobContext ctx) throws Exception;
}
