package io.taskmill.job;

import io.taskmill.job.JobState;

/** How many jobs of one type are in one state. */
public record JobCount(String type, JobState state, long count) {}
