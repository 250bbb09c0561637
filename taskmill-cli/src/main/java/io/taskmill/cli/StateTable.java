package io.taskmill.cli;

import io.taskmill.job.JobCount;
import io.taskmill.job.JobState;
import java.io.PrintWriter;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Job counts by type and state, as a table with totals; also the compact progress figures. */
final class StateTable {
  private final Map<String, EnumMap<JobState, Long>> byType = new TreeMap<>();

  /** Counts in {@code now} minus those in {@code baseline} (jobs that existed before). */
  static StateTable delta(List<JobCount> now, List<JobCount> baseline) {
    var t = new StateTable();
    now.forEach(c -> t.add(c.type(), c.state(), c.count()));
    baseline.forEach(c -> t.add(c.type(), c.state(), -c.count()));
    t.byType.values().removeIf(m -> m.values().stream().allMatch(v -> v == 0));
    return t;
  }

  private void add(String type, JobState state, long n) {
    byType.computeIfAbsent(type, k -> new EnumMap<>(JobState.class)).merge(state, n, Long::sum);
  }

  long count(String type, JobState state) {
    var m = byType.get(type);
    return m == null ? 0 : m.getOrDefault(state, 0L);
  }

  long total(JobState state) {
    return byType.values().stream().mapToLong(m -> m.getOrDefault(state, 0L)).sum();
  }

  long terminal() {
    return total(JobState.SUCCEEDED) + total(JobState.CANCELLED) + total(JobState.DEAD);
  }

  long unfinished() {
    return total(JobState.SCHEDULED) + total(JobState.ENQUEUED) + total(JobState.RUNNING);
  }

  /** One compact line: {@code 162/262 done | sched 12 enq 40 run 8 | ok 150 cancel 1 dead 1}. */
  String progress(int expectedTotal) {
    return String.format(
        "%d/%d done | sched %d enq %d run %d | ok %d cancel %d dead %d",
        terminal(),
        expectedTotal,
        total(JobState.SCHEDULED),
        total(JobState.ENQUEUED),
        total(JobState.RUNNING),
        total(JobState.SUCCEEDED),
        total(JobState.CANCELLED),
        total(JobState.DEAD));
  }

  /** The table: one row per type, a column per state, totals right and below. */
  void print(PrintWriter out) {
    int typeWidth =
        Math.max(
            "TOTAL".length(), byType.keySet().stream().mapToInt(String::length).max().orElse(4));
    var header = new StringBuilder(String.format("  %-" + typeWidth + "s", "TYPE"));
    for (JobState s : JobState.values()) {
      header.append(String.format("  %9s", s.name()));
    }
    header.append(String.format("  %6s", "TOTAL"));
    out.println(header);
    byType.forEach((type, m) -> out.println(row(typeWidth, type, m)));
    var totals = new EnumMap<JobState, Long>(JobState.class);
    for (JobState s : JobState.values()) {
      totals.put(s, total(s));
    }
    out.println("  " + "-".repeat(header.length() - 2));
    out.println(row(typeWidth, "TOTAL", totals));
  }

  private static String row(int typeWidth, String label, Map<JobState, Long> m) {
    var line = new StringBuilder(String.format("  %-" + typeWidth + "s", label));
    long sum = 0;
    for (JobState s : JobState.values()) {
      long n = m.getOrDefault(s, 0L);
      sum += n;
      line.append(String.format("  %9d", n));
    }
    line.append(String.format("  %6d", sum));
    return line.toString();
  }
}
