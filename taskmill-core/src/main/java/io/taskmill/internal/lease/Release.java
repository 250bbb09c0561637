package io.taskmill.internal.lease;

import io.taskmill.job.Job;
import io.taskmill.job.JobId;
import io.taskmill.job.JobState;
import io.taskmill.spi.LeaseRef;
import io.taskmill.spi.Ops.JobGetAll;
import io.taskmill.spi.Ops.JobReleaseLease;
import io.taskmill.spi.Store;
import io.taskmill.spi.StoreOp;
import io.taskmill.spi.Transition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A stopping node gives back the jobs it still runs: each is ready again at once for another node,
 * its attempt not counted, since it did not run to an outcome.
 */
public final class Release {
  private Release() {}

  /**
   * Releases the leases {@code node} still holds, with {@code reason} in each event; returns how
   * many were released.
   */
  public static int leases(
      Store store, String node, List<LeaseRef> leases, Instant now, String reason) {
    if (leases.isEmpty()) {
      return 0;
    }
    // In id order, so concurrent writers of several rows lock them in one order.
    List<LeaseRef> sorted = leases.stream().sorted(Comparator.comparing(LeaseRef::id)).toList();
    return store.inTransaction(
        StoreOp.RELEASE,
        tx -> {
          List<Boolean> applied =
              tx.changeEach(
                  sorted.stream()
                      .map(l -> new JobReleaseLease(l, node, JobState.ENQUEUED, now))
                      .toList());
          var released = new ArrayList<JobId>();
          for (int i = 0; i < sorted.size(); i++) {
            if (applied.get(i)) {
              released.add(sorted.get(i).id());
            }
          }
          // The attempt as the release left it (one less); rare enough (a node stopping) to read.
          Map<JobId, Job> rows =
              tx.query(new JobGetAll(released)).stream()
                  .collect(Collectors.toMap(Job::id, Function.identity()));
          tx.eventInsert(
              released.stream()
                  .map(
                      id ->
                          new Transition(
                              id,
                              now,
                              JobState.RUNNING,
                              JobState.ENQUEUED,
                              node,
                              rows.get(id).attempt(),
                              null,
                              reason))
                  .toList());
          tx.notifyReady(rows.values().stream().map(Job::queue).collect(Collectors.toSet()));
          return released.size();
        });
  }
}
