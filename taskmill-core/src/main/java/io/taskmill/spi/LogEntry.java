package io.taskmill.spi;

import io.taskmill.job.JobId;
import io.taskmill.job.JobLogLine;

/** One log line to store for a job. */
public record LogEntry(JobId jobId, JobLogLine line) {}
