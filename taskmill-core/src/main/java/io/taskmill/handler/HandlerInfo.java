package io.taskmill.handler;

import io.taskmill.job.RateLimit;
import io.taskmill.job.Retry;
import java.time.Duration;

/**
 * A registered handler as the registry describes it.
 *
 * @param payloadType the record (or other type) its payload binds to
 * @param retry the default retry policy of its jobs
 * @param timeout the default per-attempt timeout, or null for none
 * @param maxConcurrency most of its jobs running at once on a node, or null for no limit
 * @param returnsResult whether it returns a result
 * @param clusterMaxConcurrency most of its jobs running at once across all nodes, or null for no
 *     limit
 * @param rateLimit most of its jobs starting per window across all nodes, or null for no limit
 */
public record HandlerInfo(
    String type,
    String namespace,
    Class<?> payloadType,
    String queue,
    int priority,
    Retry retry,
    Duration timeout,
    Integer maxConcurrency,
    boolean returnsResult,
    Integer clusterMaxConcurrency,
    RateLimit rateLimit) {}
