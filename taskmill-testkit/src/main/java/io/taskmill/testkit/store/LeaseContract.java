package io.taskmill.testkit.store;

import static io.taskmill.job.JobState.DEAD;
import static io.taskmill.job.JobState.ENQUEUED;
import static io.taskmill.job.JobState.RUNNING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.taskmill.internal.control.JobCommands;
import io.taskmill.internal.lease.LeaseRenewal;
import io.taskmill.internal.lease.Release;
import io.taskmill.internal.lease.Renewals;
import io.taskmill.internal.lease.Rescue;
import io.taskmill.job.Job;
import io.taskmill.job.JobEvent;
import io.taskmill.job.Outcome;
import io.taskmill.spi.LeaseRef;
import io.taskmill.spi.Ops.JobEvents;
import io.taskmill.spi.StoreOp;
import io.taskmill.spi.StoreTx;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Leases: renewing, releasing at shutdown, and rescuing expired or foreign leases. */
public abstract class LeaseContract extends StoreContractSupport {
  private static final Instant EXPIRED = T0.plus(LEASE).plusSeconds(1);

  private static LeaseRef lease(Job job) {
    return new LeaseRef(job.id(), job.leaseEpoch());
  }

  @Test
  void renewingExtendsTheLeasesANodeHolds() {
    Job a = running();
    Job b = running();
    Instant later = T0.plusSeconds(100);

    LeaseRenewal renewal =
        store.keepAlive(
            StoreOp.RENEW, tx -> Renewals.leases(tx, NODE, List.of(lease(a), lease(b)), later));

    assertThat(renewal.held()).containsExactlyInAnyOrder(a.id(), b.id());
    assertThat(renewal.cancelRequested()).isEmpty();
    assertThat(get(a.id()).leaseExpiresAt()).isEqualTo(later);
    assertThat(get(a.id()).version()).isEqualTo(a.version() + 1);
    assertThat(store.read(StoreOp.READ, (StoreTx tx) -> tx.query(new JobEvents(a.id()))))
        .hasSize(2);
  }

  @Test
  void renewingReportsLeasesThatWereLost() {
    Job mine = running();
    Job stale = running();
    Job finished = running();
    insert(TestJobs.aJob().build());
    Job theirs = claimOne(OTHER_NODE, T0);
    complete(finished, new Outcome.Succeeded(null), T0.plusSeconds(1));

    LeaseRenewal renewal =
        store.keepAlive(
            StoreOp.RENEW,
            tx ->
                Renewals.leases(
                    tx,
                    NODE,
                    List.of(
                        lease(mine),
                        new LeaseRef(stale.id(), stale.leaseEpoch() + 1),
                        lease(finished),
                        lease(theirs)),
                    T0.plusSeconds(100)));

    assertThat(renewal.held()).containsExactly(mine.id());
    assertThat(get(theirs.id()).leaseExpiresAt()).isEqualTo(theirs.leaseExpiresAt());
    assertThat(get(stale.id()).leaseExpiresAt()).isEqualTo(stale.leaseExpiresAt());
  }

  @Test
  void renewingReportsPendingCancelRequests() {
    Job cancelled = running();
    Job other = running();
    JobCommands.cancel(store, cancelled.id(), T0.plusSeconds(1), "api", "user asked");

    LeaseRenewal renewal =
        store.keepAlive(
            StoreOp.RENEW,
            tx ->
                Renewals.leases(
                    tx,
                    NODE,
                    List.of(new LeaseRef(cancelled.id(), cancelled.leaseEpoch()), lease(other)),
                    T0.plusSeconds(100)));

    assertThat(renewal.held()).containsExactlyInAnyOrder(cancelled.id(), other.id());
    assertThat(renewal.cancelRequested()).containsExactly(cancelled.id());
  }

  @Test
  void releasingReturnsTheJobWithoutCountingTheAttempt() {
    Job running = running();
    Instant now = T0.plusSeconds(3);

    int released = Release.leases(store, NODE, List.of(lease(running)), now, "node shutting down");

    assertThat(released).isEqualTo(1);
    Job back = get(running.id());
    assertThat(back.state()).isEqualTo(ENQUEUED);
    assertThat(back.attempt()).isZero();
    assertThat(back.leaseOwner()).isNull();
    assertThat(back.leaseExpiresAt()).isNull();
    assertThat(back.version()).isEqualTo(running.version() + 1);
    JobEvent event = lastEvent(running.id());
    assertEvent(event, running.id(), now, RUNNING, ENQUEUED, NODE, 0);
    assertThat(event.message()).isEqualTo("node shutting down");
    assertThat(claimOne(NODE, now).attempt()).isEqualTo(1);
  }

  @Test
  void releasingIgnoresLeasesTheNodeDoesNotHold() {
    Job running = running();

    assertThat(Release.leases(store, OTHER_NODE, List.of(lease(running)), T0, "x")).isZero();
    assertThat(
            Release.leases(
                store,
                NODE,
                List.of(new LeaseRef(running.id(), running.leaseEpoch() - 1)),
                T0,
                "x"))
        .isZero();
    assertThat(get(running.id())).isEqualTo(running);
  }

  @Test
  void rescuingReenqueuesJobsWhoseLeaseExpiredAndKeepsTheAttempt() {
    Job running = running();

    List<Job> rescued = rescueExpired(OTHER_NODE, EXPIRED, 10);

    assertThat(rescued).containsExactly(running);
    Job back = get(running.id());
    assertThat(back.state()).isEqualTo(ENQUEUED);
    assertThat(back.attempt()).isEqualTo(1);
    assertThat(back.leaseOwner()).isNull();
    assertThat(back.version()).isEqualTo(running.version() + 1);
    JobEvent event = lastEvent(running.id());
    assertEvent(event, running.id(), EXPIRED, RUNNING, ENQUEUED, OTHER_NODE, 1);
    assertThat(event.message()).isEqualTo("rescued from node node-a: its lease expired");
  }

  @Test
  void rescuingLeavesLeasesThatHaveNotExpired() {
    Job running = running();
    Instant expiry = running.leaseExpiresAt();

    assertThat(rescueExpired(OTHER_NODE, expiry, 10)).isEmpty();
    assertThat(rescueExpired(OTHER_NODE, expiry.minusSeconds(1), 10)).isEmpty();
    assertThat(get(running.id()).state()).isEqualTo(RUNNING);
  }

  @Test
  void rescuingBuriesAJobThatWasOnItsLastAttempt() {
    Job running = running(TestJobs.aJob().maxAttempts(1));

    rescueExpired(OTHER_NODE, EXPIRED, 10);

    Job dead = get(running.id());
    assertThat(dead.state()).isEqualTo(DEAD);
    assertThat(dead.finishedAt()).isEqualTo(EXPIRED);
    assertThat(dead.lastError()).isEqualTo("lease expired on node node-a during the last attempt");
    assertEvent(lastEvent(running.id()), running.id(), EXPIRED, RUNNING, DEAD, OTHER_NODE, 1);
  }

  @Test
  void rescuingTakesAtMostTheLimit() {
    running();
    running();
    running();

    assertThat(rescueExpired(OTHER_NODE, EXPIRED, 2)).hasSize(2);
    assertThat(rescueExpired(OTHER_NODE, EXPIRED, 2)).hasSize(1);
  }

  @Test
  void aRenewedLeaseIsNotRescued() {
    Job running = running();
    store.keepAlive(
        StoreOp.RENEW,
        tx -> Renewals.leases(tx, NODE, List.of(lease(running)), EXPIRED.plusSeconds(30)));

    assertThat(rescueExpired(OTHER_NODE, EXPIRED, 10)).isEmpty();
  }

  @Test
  void rescuingForeignLeasesTakesEveryJobOfOtherNodes() {
    assumeTrue(store.info().exclusive(), "only exclusive stores rescue foreign leases");
    Job mine = running();
    insert(TestJobs.aJob().build());
    Job theirs = claimOne(OTHER_NODE, T0);
    Instant now = T0.plusSeconds(1); // long before either lease expires

    List<Job> rescued = Rescue.foreign(store, now, NODE);

    assertThat(rescued).containsExactly(theirs);
    assertThat(get(theirs.id()).state()).isEqualTo(ENQUEUED);
    assertThat(get(theirs.id()).attempt()).isEqualTo(1);
    assertThat(get(mine.id())).isEqualTo(mine);
    JobEvent event = lastEvent(theirs.id());
    assertEvent(event, theirs.id(), now, RUNNING, ENQUEUED, NODE, 1);
    assertThat(event.message()).startsWith("rescued from node node-b");
  }
}
