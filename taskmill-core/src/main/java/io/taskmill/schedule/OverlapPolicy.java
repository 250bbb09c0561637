package io.taskmill.schedule;

/** What a tick does while the job of the schedule's previous tick has not finished yet. */
public enum OverlapPolicy {
  /** Fire anyway: runs of the schedule may overlap. */
  ALLOW,
  /** Record the tick as skipped and wait for the next one. */
  SKIP,
  /** Hold the tick until the previous run finishes, then fire it (late). */
  WAIT
}
