package io.taskmill.spi;

import io.taskmill.job.JobId;

/**
 * Who holds a lock: one attempt of one job on one node. The lease epoch tells attempts of the same
 * job apart, so an attempt that was superseded cannot renew or release its successor's lock.
 */
public record LockHolder(String node, JobId jobId, long leaseEpoch) {}
