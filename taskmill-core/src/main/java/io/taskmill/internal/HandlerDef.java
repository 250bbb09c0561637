package io.taskmill.internal;

import io.taskmill.handler.HandlerInfo;
import io.taskmill.handler.JobContext;
import io.taskmill.job.Retry;
import tools.jackson.databind.ObjectReader;

/**
 * A handler as the engine runs it: its declared payload type, how to call it, and its defaults.
 *
 * @param defaultRetryJson the storable part of {@code info.retry()}, written once rather than per
 *     job
 */
public record HandlerDef(
    HandlerInfo info, Invoker invoker, ObjectReader payloadReader, String defaultRetryJson) {

  /** Calls the user's handler, whichever shape it has. */
  @FunctionalInterface
  public interface Invoker {
    /** Runs one attempt and returns its result, or null. */
    Object invoke(Object payload, JobContext ctx) throws Exception;
  }

  public String type() {
    return info.type();
  }

  public Retry retry() {
    return info.retry();
  }
}
