package io.taskmill.job;

/** Severity of a job log line, in increasing order. */
public enum LogLevel {
  DEBUG,
  INFO,
  WARN,
  ERROR
}
