package io.taskmill.internal;

import io.taskmill.Retry;
import io.taskmill.job.LogLevel;
import io.taskmill.spi.Store;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Everything the engine needs, validated by the builder: nothing here is checked again.
 *
 * @param ownsStore whether the engine opened the store (and so closes it)
 * @param queues queue name to concurrency on this node, in declaration order
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
    JsonCodec json) {

  public EngineConfig {
    handlers = List.copyOf(handlers);
    queues = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(queues));
  }
}
