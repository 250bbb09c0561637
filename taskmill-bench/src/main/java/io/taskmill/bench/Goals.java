package io.taskmill.bench;

/**
 * The issues' goals on this machine for one store; NaN where no goal was set for that store.
 *
 * @param drainJobsPerSec least drain throughput
 * @param enqueueJobsPerSec least batch enqueue rate
 * @param pickupP99Ms most p99 pickup latency of a job enqueued on the node that runs it
 * @param crossNodePickupP99Ms most p99 pickup latency of a job enqueued on another node
 * @param delayedLatenessP99Ms most p99 time from a delayed job's due time to its handler's start
 */
record Goals(
    double drainJobsPerSec,
    double enqueueJobsPerSec,
    double pickupP99Ms,
    double crossNodePickupP99Ms,
    double delayedLatenessP99Ms) {

  /**
   * PostgreSQL's goals: the speed issue's one-node drain and same-node pickup, the cluster issue's
   * cross-node pickup; no enqueue goal.
   */
  static final Goals POSTGRESQL = new Goals(12_000, Double.NaN, 10, 15, 100);

  /** The embedded H2 file store's goals (the engine issue), plus the delayed-job one. */
  static final Goals H2_FILE = new Goals(10_000, 50_000, 10, Double.NaN, 100);

  /** The goals for the store named as in the configuration's {@code store} entry. */
  static Goals forStore(Object store) {
    return "PostgreSQL".equals(store) ? POSTGRESQL : H2_FILE;
  }
}
