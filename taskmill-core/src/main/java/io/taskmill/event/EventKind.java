package io.taskmill.event;

import io.taskmill.job.JobState;

/** What a {@link FeedEvent} reports; {@link #wireName()} is its name in the HTTP API's stream. */
public enum EventKind {
  /** A job was inserted ({@code ENQUEUED}, or {@code SCHEDULED} when due later). */
  JOB_CREATED("job.created"),
  /** A scheduled job came due ({@code SCHEDULED → ENQUEUED}). */
  JOB_ENQUEUED("job.enqueued"),
  /** A node claimed the job and started an attempt ({@code ENQUEUED → RUNNING}). */
  JOB_RUNNING("job.running"),
  /** An attempt succeeded. */
  JOB_SUCCEEDED("job.succeeded"),
  /** An attempt failed and the job waits for its next one ({@code RUNNING → SCHEDULED}). */
  JOB_RETRYING("job.retrying"),
  /** The job failed for good: its last attempt failed, timed out or was lost. */
  JOB_DEAD("job.dead"),
  /** The job was cancelled, waiting or running. */
  JOB_CANCELLED("job.cancelled"),
  /** A cancel was asked of a running job; its node stops it. */
  JOB_CANCEL_REQUESTED("job.cancel_requested"),
  /** The rescuer took the job back from a node whose lease lapsed ({@code RUNNING → ENQUEUED}). */
  JOB_RESCUED("job.rescued"),
  /** A node gave the job back unfinished at shutdown ({@code RUNNING → ENQUEUED}). */
  JOB_RELEASED("job.released"),
  /** A late outcome from an attempt whose lease was lost was recorded and ignored. */
  JOB_SUPERSEDED("job.superseded"),
  /** Someone retried a {@code DEAD} or {@code CANCELLED} job by hand ({@code → ENQUEUED}). */
  JOB_RETRIED("job.retried");

  private final String wireName;

  EventKind(String wireName) {
    this.wireName = wireName;
  }

  /** The kind's name in the HTTP API and logs, such as {@code job.created}. */
  public String wireName() {
    return wireName;
  }

  /** The kind of a stored transition; the message tells the transitions that share states apart. */
  public static EventKind ofTransition(JobState from, JobState to, String message) {
    if (from == null) {
      return JOB_CREATED;
    }
    if (from == to) {
      return message != null && message.startsWith("cancel requested")
          ? JOB_CANCEL_REQUESTED
          : JOB_SUPERSEDED;
    }
    return switch (to) {
      case SCHEDULED -> JOB_RETRYING;
      case ENQUEUED ->
          from == JobState.SCHEDULED
              ? JOB_ENQUEUED
              : from == JobState.DEAD || from == JobState.CANCELLED
                  ? JOB_RETRIED
                  : message != null && message.startsWith("rescued") ? JOB_RESCUED : JOB_RELEASED;
      case RUNNING -> JOB_RUNNING;
      case SUCCEEDED -> JOB_SUCCEEDED;
      case DEAD -> JOB_DEAD;
      case CANCELLED -> JOB_CANCELLED;
    };
  }

  /** The kind whose {@link #wireName()} is {@code name}; fails naming the known ones. */
  public static EventKind ofWireName(String name) {
    for (EventKind k : values()) {
      if (k.wireName.equals(name)) {
        return k;
      }
    }
    var known = new StringBuilder();
    for (EventKind k : values()) {
      known.append(known.isEmpty() ? "" : ", ").append(k.wireName);
    }
    throw new IllegalArgumentException("unknown event kind '" + name + "'; known: " + known);
  }
}
