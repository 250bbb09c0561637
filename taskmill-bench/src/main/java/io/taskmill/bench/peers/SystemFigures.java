package io.taskmill.bench.peers;

import io.taskmill.bench.Latencies;

/**
 * One system's figures in the peers comparison: Taskmill's, or a peer's measured the same way.
 *
 * @param name the system's name as printed ({@code Taskmill}, {@code db-scheduler}, {@code
 *     JobRunr})
 * @param key the system's key in the JSON output ({@code taskmill}, {@code dbScheduler}, {@code
 *     jobrunr})
 * @param version the version that ran
 * @param settings the configuration it ran with, in one line
 * @param jobs the jobs enqueued and drained (N)
 * @param enqueueJobsPerSec N over the time its batch enqueue of the N jobs took
 * @param drainJobsPerSec N over the time from the start (or resume) of processing to the last
 *     outcome committed
 * @param drainSteadyJobsPerSec jobs between the 10% and 90% marks over the time between them; NaN
 *     for a drain too short to tell
 * @param drainCpuUsPerJob this process's CPU time during the drain per job, in microseconds (the
 *     database's own CPU is not in it)
 * @param pickup idle pickup latency: from the enqueue call to the handler's start
 * @param pickupNote how the pickup samples were taken, in a few words
 * @param schema the PostgreSQL schema it ran in (dropped afterwards)
 */
public record SystemFigures(
    String name,
    String key,
    String version,
    String settings,
    int jobs,
    double enqueueJobsPerSec,
    double drainJobsPerSec,
    double drainSteadyJobsPerSec,
    double drainCpuUsPerJob,
    Latencies pickup,
    String pickupNote,
    String schema) {}
