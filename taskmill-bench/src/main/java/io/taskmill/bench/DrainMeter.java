package io.taskmill.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Follows one drain as the bench polls it: when each tenth of its jobs had run (so the steady rate
 * can be told from the ramp-up and the tail), the CPU the process used, and the process's memory:
 * peak heap in use, the heap left after each garbage collection (what the engine really holds, not
 * garbage a large heap lets pile up), and the peak resident set.
 */
final class DrainMeter implements AutoCloseable {
  /** The steady rate is taken between these fractions of the jobs having run. */
  static final double STEADY_FROM = 0.1;

  static final double STEADY_TO = 0.9;
  private static final Path PROC_STATUS = Path.of("/proc/self/status");
  private static final long MEMORY_EVERY_NANOS = 100_000_000;

  /**
   * One drain's figures.
   *
   * @param jobsPerSec whole run: jobs over the time from resume to the last outcome committed
   * @param steadyJobsPerSec jobs between the 10% and 90% marks over the time between them; NaN for
   *     a drain too short to tell
   * @param cpuUsPerJob the process's CPU time during the drain per job, in microseconds: less noisy
   *     than a rate on a shared machine, since another process's load takes no CPU from this count
   * @param peakHeapMib most heap in use at any sample
   * @param heapAfterGcMib most heap in use right after a collection during the drain; NaN when none
   *     ran
   * @param peakRssMib most resident memory at any sample; NaN where /proc is not there
   * @param liveHeapMib heap in use after a full collection once the drain ended (outside its time):
   *     what the engine still holds, garbage a young collection leaves in the old generation not
   *     counted
   */
  record Drain(
      double jobsPerSec,
      double steadyJobsPerSec,
      double cpuUsPerJob,
      double seconds,
      double peakHeapMib,
      double heapAfterGcMib,
      double peakRssMib,
      double liveHeapMib) {}

  private final long jobs;
  private final long startNanos;
  private final long cpuStartNanos;
  private final long[] tenthNanos = new long[11];
  private int nextTenth = 1;
  private long nextMemoryAt;
  private long peakHeap;
  private long peakRss = -1;
  private final AtomicLong heapAfterGc = new AtomicLong(-1);
  private final List<Runnable> unsubscribe = new ArrayList<>();

  /** Starts following a drain of {@code jobs} jobs now. */
  DrainMeter(long jobs) {
    this.jobs = jobs;
    listenToCollections();
    this.cpuStartNanos = processCpuNanos();
    this.startNanos = System.nanoTime();
    tenthNanos[0] = startNanos;
    sampleMemory(startNanos);
  }

  /** Records that {@code ran} jobs had run at {@code nowNanos}. */
  void sample(long ran, long nowNanos) {
    while (nextTenth <= 10 && ran * 10 >= nextTenth * jobs) {
      tenthNanos[nextTenth++] = nowNanos;
    }
    if (nowNanos >= nextMemoryAt) {
      sampleMemory(nowNanos);
    }
  }

  /** Seconds from the start until each tenth of the jobs had run, then until the end. */
  String tenths(long endNanos) {
    var sb = new StringBuilder();
    for (int i = 1; i < nextTenth; i++) {
      sb.append(
          String.format(Locale.ROOT, "%d%%:%.2fs ", i * 10, (tenthNanos[i] - startNanos) / 1e9));
    }
    return sb.append(String.format(Locale.ROOT, "end:%.2fs", (endNanos - startNanos) / 1e9))
        .toString();
  }

  /** The figures of a drain whose last outcome was committed at {@code endNanos}. */
  Drain finish(long endNanos) {
    sampleMemory(endNanos);
    double seconds = (endNanos - startNanos) / 1e9;
    double cpuUs = (processCpuNanos() - cpuStartNanos) / 1e3;
    int from = (int) Math.round(STEADY_FROM * 10);
    int to = (int) Math.round(STEADY_TO * 10);
    double steadySeconds = (tenthNanos[to] - tenthNanos[from]) / 1e9;
    // Between two polls of the same instant nothing was measured: no rate to give.
    double steady =
        nextTenth > to && steadySeconds > 0
            ? (STEADY_TO - STEADY_FROM) * jobs / steadySeconds
            : Double.NaN;
    long afterGc = heapAfterGc.get();
    System.gc();
    long live = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    return new Drain(
        jobs / seconds,
        steady,
        cpuUs < 0 ? Double.NaN : cpuUs / jobs,
        seconds,
        mib(peakHeap),
        afterGc < 0 ? Double.NaN : mib(afterGc),
        peakRss < 0 ? Double.NaN : mib(peakRss),
        mib(live));
  }

  private void sampleMemory(long nowNanos) {
    nextMemoryAt = nowNanos + MEMORY_EVERY_NANOS;
    peakHeap =
        Math.max(peakHeap, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    long rss = residentBytes();
    if (rss >= 0) {
      peakRss = Math.max(peakRss, rss);
    }
  }

  /** VmRSS of this process, or -1 where it cannot be read. */
  static long residentBytes() {
    try {
      for (String line : Files.readAllLines(PROC_STATUS)) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException | SecurityException e) {
      // not Linux, or not readable: no figure
    }
    return -1;
  }

  private static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }

  private void listenToCollections() {
    for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (!(gc instanceof NotificationEmitter emitter)) {
        continue;
      }
      NotificationListener listener = (Notification n, Object handback) -> onCollection(n);
      emitter.addNotificationListener(listener, null, null);
      unsubscribe.add(
          () -> {
            try {
              emitter.removeNotificationListener(listener);
            } catch (ListenerNotFoundException e) {
              // gone already
            }
          });
    }
  }

  private void onCollection(Notification n) {
    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
      return;
    }
    var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
    // The map holds non-heap pools too (metaspace, code cache); only the heap's move with jobs.
    long heap = 0;
    for (var e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
      if (isHeapPool(e.getKey())) {
        heap += e.getValue().getUsed();
      }
    }
    heapAfterGc.accumulateAndGet(heap, Math::max);
  }

  private static boolean isHeapPool(String pool) {
    for (var p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getName().equals(pool)) {
        return p.getType() == MemoryType.HEAP;
      }
    }
    return false;
  }

  private static double mib(long bytes) {
    return bytes / (1024.0 * 1024.0);
  }

  @Override
  public void close() {
    unsubscribe.forEach(Runnable::run);
  }
}
