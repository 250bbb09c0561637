package io.taskmill.handler;

/**
 * A {@link JobHandler} that returns a result, stored as JSON with the job when it succeeds.
 *
 * @param <P> the payload type
 * @param <R> the result type; must serialize to JSON
 */
@FunctionalInterface
public interface ResultHandler<P, R> {
  /** Runs one attempt and returns its result (null for none). */
  R run(P payload, JobContext ctx) throws Exception;
}
