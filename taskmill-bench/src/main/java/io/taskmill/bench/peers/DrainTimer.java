package io.taskmill.bench.peers;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Times a peer's drain as the bench times Taskmill's: from the call that lets processing start to
 * the moment the last job's outcome is committed, followed through an in-memory count the peer's
 * own completion hook keeps (so the database sees no extra queries), with the 10% and 90% marks for
 * a steady rate and the process's CPU time per job.
 */
final class DrainTimer {
  /**
   * One drain's figures.
   *
   * @param jobsPerSec jobs over the whole drain
   * @param steadyJobsPerSec jobs between the 10% and 90% marks over the time between them; NaN for
   *     a drain too short to tell
   * @param cpuUsPerJob the process's CPU time during the drain per job, in microseconds
   * @param seconds the whole drain
   * @param firstDoneSeconds when the first outcome was committed: how long processing took to get
   *     going after the start
   */
  record Drain(
      double jobsPerSec,
      double steadyJobsPerSec,
      double cpuUsPerJob,
      double seconds,
      double firstDoneSeconds) {}

  /** Something that lets processing start (a scheduler's start), timed from its call. */
  interface Start {
    void run() throws Exception;
  }

  private DrainTimer() {}

  /**
   * Calls {@code start} and waits until {@code done} reaches {@code n}; fails as soon as {@code
   * failed} is above zero, or after {@code timeout}.
   *
   * @param done outcomes committed since before the start
   * @param failed executions that failed since before the start
   */
  static Drain run(
      String system,
      long n,
      Start start,
      LongSupplier done,
      LongSupplier failed,
      Duration timeout,
      int pollMs,
      Peers.Progress progress)
      throws Exception {
    long[] tenths = new long[11];
    int nextTenth = 1;
    long firstDone = -1;
    long cpuStart = processCpuNanos();
    long startNanos = System.nanoTime();
    tenths[0] = startNanos;
    start.run();
    long deadline = startNanos + timeout.toNanos();
    long nextReport = startNanos + TimeUnit.SECONDS.toNanos(2);
    long end;
    while (true) {
      long now = System.nanoTime();
      long d = done.getAsLong();
      if (d > 0 && firstDone < 0) {
        firstDone = now;
      }
      while (nextTenth <= 10 && d * 10 >= nextTenth * n) {
        tenths[nextTenth++] = now;
      }
      long f = failed.getAsLong();
      if (f > 0) {
        throw new IllegalStateException(
            String.format(
                Locale.ROOT, "%s: %,d of the %,d drained no-op jobs failed", system, f, n));
      }
      if (d >= n) {
        end = now;
        break;
      }
      if (now >= deadline) {
        throw new TimeoutException(
            String.format(
                Locale.ROOT,
                "%s: the drain did not finish in %d s: %,d of %,d done",
                system,
                timeout.toSeconds(),
                d,
                n));
      }
      if (now >= nextReport) {
        progress.say("  %,d/%,d done after %.1f s", d, n, (now - startNanos) / 1e9);
        nextReport += TimeUnit.SECONDS.toNanos(2);
      }
      // The last tenth is polled finely: the end is the figure's denominator.
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(d * 10 >= 9 * n ? 1 : pollMs));
    }
    long cpu = processCpuNanos();
    double seconds = (end - startNanos) / 1e9;
    double steadySeconds = (tenths[9] - tenths[1]) / 1e9;
    double steady = nextTenth > 9 && steadySeconds > 0 ? 0.8 * n / steadySeconds : Double.NaN;
    double cpuUs = cpuStart < 0 || cpu < 0 ? Double.NaN : (cpu - cpuStart) / 1e3 / n;
    var sb = new StringBuilder("  done by ");
    for (int i = 1; i < nextTenth; i++) {
      sb.append(String.format(Locale.ROOT, "%d%%:%.2fs ", i * 10, (tenths[i] - startNanos) / 1e9));
    }
    progress.say("%s", sb.append(String.format(Locale.ROOT, "end:%.2fs", seconds)));
    return new Drain(
        n / seconds,
        steady,
        cpuUs,
        seconds,
        firstDone < 0 ? seconds : (firstDone - startNanos) / 1e9);
  }

  private static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }
}
