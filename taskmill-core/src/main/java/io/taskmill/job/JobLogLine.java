package io.taskmill.job;

import java.time.Instant;

/** One line a handler logged through its {@code JobContext}, stored with the job. */
public record JobLogLine(int attempt, Instant at, LogLevel level, String message) {}
