package io.taskmill.internal;

import io.taskmill.job.LogLevel;
import io.taskmill.job.Retry;
import io.taskmill.schedule.ScheduleDefinition;
import io.taskmill.spi.Store;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the engine needs, validated by the builder: nothing here is checked again.
 *
 * @param ownsStore whether the engine opened the store (and so closes it)
 * @param clockFollowsStore true when no clock was given: the engine then keeps time by the store's
 *     clock ({@link StoreClock}) and {@code clock} only tells how far this machine's clock is off
 * @param queues queue name to concurrency on this node, in declaration order
 * @param retainSucceeded how long succeeded jobs are kept before the leader prunes them
 * @param retainFinished how long dead and cancelled jobs (and departed nodes' rows) are kept
 * @param retainAudit how long audit trail entries are kept before the leader prunes them
 * @param misfireThreshold how late a tick may fire before it counts as missed (see TickPlanner)
 * @param schedules schedules declared in code, saved (idempotently) at start
 */
public record EngineConfig(
    Store store,
    boolean ownsStore,
    Clock clock,
    String nodeId,
    List<HandlerDef> handlers,
    Map<String, Integer> queues,
    Retry defaultRetry,
    Duration defaultTimeout,
    Duration leaseDuration,
    Duration pollInterval,
    Duration rescueInterval,
    Duration shutdownGrace,
    Duration timeoutGrace,
    int claimBatchSize,
    int completionBatchSize,
    int maxLogLinesPerJob,
    LogLevel jobLogLevel,
    JsonCodec json,
    boolean clockFollowsStore,
    Duration retainSucceeded,
    Duration retainFinished,
    Duration retainAudit,
    Duration misfireThreshold,
    List<ScheduleDefinition> schedules) {

  public EngineConfig {
    handlers = List.copyOf(handlers);
    schedules = List.copyOf(schedules);
    queues = Collections.unmodifiableMap(new LinkedHashMap<>(queues));
  }

  /** This configuration keeping time by {@code c} instead. */
  EngineConfig withClock(Clock c) {
    return new EngineConfig(
        store,
        ownsStore,
        c,
        nodeId,
        handlers,
        queues,
        defaultRetry,
        defaultTimeout,
        leaseDuration,
        pollInterval,
        rescueInterval,
        shutdownGrace,
        timeoutGrace,
        claimBatchSize,
        completionBatchSize,
        maxLogLinesPerJob,
        jobLogLevel,
        json,
        clockFollowsStore,
        retainSucceeded,
        retainFinished,
        retainAudit,
        misfireThreshold,
        schedules);
  }
}
