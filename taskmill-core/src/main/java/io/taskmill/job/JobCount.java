package io.taskmill.job;

/** How many jobs of one type are in one state. */
public record JobCount(String type, JobState state, long count) {}
