package io.taskmill.internal.lease;

import io.taskmill.job.Job;
import io.taskmill.job.JobId;
import io.taskmill.job.JobState;
import io.taskmill.node.Node;
import io.taskmill.node.NodeState;
import io.taskmill.spi.LeaderTerm;
import io.taskmill.spi.Ops.JobEndLease;
import io.taskmill.spi.Ops.JobExpiredLeases;
import io.taskmill.spi.Ops.JobFinishLease;
import io.taskmill.spi.Ops.JobForeignLeases;
import io.taskmill.spi.Ops.LeaderHolds;
import io.taskmill.spi.Ops.NodeList;
import io.taskmill.spi.Store;
import io.taskmill.spi.StoreOp;
import io.taskmill.spi.StoreTx;
import io.taskmill.spi.Transition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Takes back jobs whose node is gone: each is queued again with its attempt still counted (it may
 * have run, and the retry budget must bound crash loops), or buried when that was its last attempt.
 * Each write is guarded by the version read, so a job renewed or completed meanwhile is left alone.
 */
public final class Rescue {
  /** Where a rescued job goes while it has attempts left. */
  static final JobState REQUEUED = JobState.ENQUEUED;

  /** Where a rescued job goes after its last attempt. */
  static final JobState BURIED = JobState.DEAD;

  private Rescue() {}

  /**
   * Rescues up to {@code limit} running jobs whose lease expired before {@code now}. A leader-only
   * duty: does nothing unless {@code leader} still leads. Returns the jobs as they were before.
   */
  public static List<Job> expired(Store store, LeaderTerm leader, Instant now, int limit) {
    return store.inTransaction(
        StoreOp.RESCUE,
        tx -> {
          if (tx.first(new LeaderHolds(leader, now)).isEmpty()) {
            return List.of();
          }
          List<Job> expired = tx.query(new JobExpiredLeases(now, limit));
          if (expired.isEmpty()) {
            return expired;
          }
          Set<String> dead =
              tx.query(new NodeList()).stream()
                  .filter(n -> n.state() == NodeState.DEAD)
                  .map(Node::id)
                  .collect(Collectors.toSet());
          return rescue(
              tx,
              expired,
              now,
              leader.node(),
              owner ->
                  dead.contains(owner)
                      ? "the node was declared dead (missed its heartbeats)"
                      : "its lease expired",
              owner ->
                  (dead.contains(owner)
                          ? "node " + owner + " was declared dead"
                          : "lease expired on node " + owner)
                      + " during the last attempt");
        });
  }

  /**
   * Rescues every running job not leased by {@code node}, whatever its expiry. Only for a store
   * that is exclusive to this process, where any other owner is provably dead.
   */
  public static List<Job> foreign(Store store, Instant now, String node) {
    if (!store.info().exclusive()) {
      throw new IllegalStateException(
          "rescuing foreign leases needs an exclusive store, and "
              + store.info().description()
              + " may be shared by other processes");
    }
    return store.inTransaction(
        StoreOp.RESCUE,
        tx ->
            rescue(
                tx,
                tx.query(new JobForeignLeases(node)),
                now,
                node,
                owner -> "its node stopped while holding the store",
                owner -> "node " + owner + " stopped during the last attempt"));
  }

  private static List<Job> rescue(
      StoreTx tx,
      List<Job> found,
      Instant now,
      String node,
      Function<String, String> why,
      Function<String, String> deadError) {
    var toQueue = new ArrayList<Job>();
    var toBury = new ArrayList<Job>();
    found.forEach(j -> (j.attempt() >= j.maxAttempts() ? toBury : toQueue).add(j));
    List<String> errors = toBury.stream().map(j -> deadError.apply(j.leaseOwner())).toList();
    Set<JobId> queued =
        applied(
            toQueue,
            tx.changeEach(
                toQueue.stream()
                    .map(j -> new JobEndLease(j.id(), j.version(), j.state(), REQUEUED, now))
                    .toList()));
    Set<JobId> buried =
        applied(
            toBury,
            tx.changeEach(
                IntStream.range(0, toBury.size())
                    .mapToObj(
                        i -> {
                          Job j = toBury.get(i);
                          return new JobFinishLease(
                              j.id(), j.version(), j.state(), BURIED, errors.get(i), now);
                        })
                    .toList()));
    var transitions = new ArrayList<Transition>();
    var readyQueues = new TreeSet<String>();
    var rescued = new ArrayList<Job>();
    for (Job j : found) {
      String message = "rescued from node " + j.leaseOwner() + ": " + why.apply(j.leaseOwner());
      if (queued.contains(j.id())) {
        transitions.add(
            new Transition(j.id(), now, j.state(), REQUEUED, node, j.attempt(), null, message));
        readyQueues.add(j.queue());
        rescued.add(j);
      } else if (buried.contains(j.id())) {
        transitions.add(
            new Transition(
                j.id(),
                now,
                j.state(),
                BURIED,
                node,
                j.attempt(),
                deadError.apply(j.leaseOwner()),
                message));
        rescued.add(j);
      }
    }
    tx.eventInsert(transitions);
    tx.notifyReady(readyQueues);
    return rescued;
  }

  private static Set<JobId> applied(List<Job> jobs, List<Boolean> applied) {
    var ids = new HashSet<JobId>();
    for (int i = 0; i < jobs.size(); i++) {
      if (applied.get(i)) {
        ids.add(jobs.get(i).id());
      }
    }
    return ids;
  }
}
