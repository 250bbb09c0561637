package io.taskmill.spi;

import io.taskmill.job.JobId;

/** A lease a node believes it holds: the job and the epoch of its claim. */
public record LeaseRef(JobId id, long leaseEpoch) {}
