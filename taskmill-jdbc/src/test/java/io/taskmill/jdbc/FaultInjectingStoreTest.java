package io.taskmill.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskmill.access.ApiKey;
import io.taskmill.access.ApiKeys;
import io.taskmill.access.AuditEntry;
import io.taskmill.access.Role;
import io.taskmill.internal.control.JobCommands;
import io.taskmill.internal.dispatch.ReadyWrites;
import io.taskmill.job.JobId;
import io.taskmill.job.JobState;
import io.taskmill.node.Leadership;
import io.taskmill.spi.LeaderTerm;
import io.taskmill.spi.Ops.ApiKeyByHash;
import io.taskmill.spi.Ops.ApiKeyList;
import io.taskmill.spi.Ops.ApiKeyRevoke;
import io.taskmill.spi.Ops.JobEvents;
import io.taskmill.spi.Ops.JobGetAll;
import io.taskmill.spi.Ops.LeaderHolds;
import io.taskmill.spi.Ops.QueuePausedNames;
import io.taskmill.spi.Ops.ScheduleDelete;
import io.taskmill.spi.Ops.ScheduleGet;
import io.taskmill.spi.Ops.ScheduleList;
import io.taskmill.spi.Ops.ScheduleNextFireAt;
import io.taskmill.spi.Ops.ScheduleRuns;
import io.taskmill.spi.Ops.SchedulesDue;
import io.taskmill.spi.StoreOp;
import io.taskmill.spi.StoreTx;
import io.taskmill.spi.StoreUnavailableException;
import io.taskmill.testkit.fault.FaultInjectingStore;
import io.taskmill.testkit.store.TestJobs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The testkit's fault injector on a real (H2) store: what a fault does, counts and seeds. */
class FaultInjectingStoreTest {

  @Test
  void aFaultBeforeTheCallLeavesTheStoreUnchanged() {
    try (var store =
        FaultInjectingStore.around(H2Stores.inMemory())
            .seed(1)
            .failBefore(StoreOp.INSERT, 1.0)
            .build()) {
      JobId id = TestJobs.nextId(TestJobs.T0);
      assertThatThrownBy(
              () -> ReadyWrites.insert(store, List.of(TestJobs.aJob().id(id).build()), "n"))
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining("before call 1 of INSERT (seed 1)");
      assertThat(store.read(StoreOp.READ, (StoreTx tx) -> tx.first(new JobGetAll(List.of(id)))))
          .isEmpty();
      assertThat(store.injected(StoreOp.INSERT)).isEqualTo(1);
      assertThat(store.injected(StoreOp.READ)).isZero();
    }
  }

  @Test
  void aFaultAfterTheCallLosesOnlyTheReply() {
    try (var store =
        FaultInjectingStore.around(H2Stores.inMemory())
            .seed(2)
            .failAfter(StoreOp.INSERT, 1.0)
            .build()) {
      JobId id = TestJobs.nextId(TestJobs.T0);
      assertThatThrownBy(
              () -> ReadyWrites.insert(store, List.of(TestJobs.aJob().id(id).build()), "n"))
          .isInstanceOf(StoreUnavailableException.class);
      assertThat(store.read(StoreOp.READ, (StoreTx tx) -> tx.first(new JobGetAll(List.of(id)))))
          .get()
          .extracting(j -> j.state())
          .isEqualTo(JobState.ENQUEUED);
      assertThat(store.injectedAfter(StoreOp.INSERT)).isEqualTo(1);
    }
  }

  /**
   * A transaction of table operations is disturbed as a whole by its op, whatever operations it
   * runs: a cancel whose reply is lost was applied, with its event, exactly once.
   */
  @Test
  void aTransactionIsDisturbedByItsOpWithoutAnOverridePerOperation() {
    try (var store =
        FaultInjectingStore.around(H2Stores.inMemory())
            .seed(5)
            .failAfter(StoreOp.CANCEL, 1.0)
            .failBefore(StoreOp.RETRY, 1.0)
            .build()) {
      JobId id = ReadyWrites.insert(store, List.of(TestJobs.aJob().build()), "n").getFirst().id();
      assertThatThrownBy(() -> JobCommands.cancel(store, id, TestJobs.T0, "n", "lost reply"))
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining("after call 1 of CANCEL (seed 5)");
      assertThat(store.read(StoreOp.READ, (StoreTx tx) -> tx.first(new JobGetAll(List.of(id)))))
          .get()
          .extracting(j -> j.state())
          .isEqualTo(JobState.CANCELLED);
      assertThat(store.read(StoreOp.READ, (StoreTx tx) -> tx.query(new JobEvents(id))))
          .filteredOn(e -> e.to() == JobState.CANCELLED)
          .hasSize(1);
      assertThatThrownBy(() -> JobCommands.retry(store, id, TestJobs.T0, "n"))
          .isInstanceOf(StoreUnavailableException.class);
      assertThat(store.read(StoreOp.READ, (StoreTx tx) -> tx.first(new JobGetAll(List.of(id)))))
          .get()
          .extracting(j -> j.state())
          .isEqualTo(JobState.CANCELLED);
      assertThat(store.injectedAfter(StoreOp.CANCEL)).isEqualTo(1);
      assertThat(store.injected(StoreOp.RETRY)).isEqualTo(1);
    }
  }

  @Test
  void scheduleCallsAreDisturbedAsOneOperation() {
    try (var store =
        FaultInjectingStore.around(H2Stores.inMemory())
            .seed(3)
            .failBefore(StoreOp.SCHEDULE, 1.0)
            .build()) {
      List<Supplier<?>> calls =
          List.of(
              () -> store.read(StoreOp.SCHEDULE, tx -> tx.first(new ScheduleGet("s"))),
              () -> store.read(StoreOp.SCHEDULE, tx -> tx.query(new ScheduleList(null, 10))),
              () -> store.read(StoreOp.SCHEDULE, tx -> tx.query(new SchedulesDue(TestJobs.T0, 10))),
              () -> store.read(StoreOp.SCHEDULE, tx -> tx.first(new ScheduleNextFireAt())),
              () -> store.read(StoreOp.SCHEDULE, tx -> tx.query(new ScheduleRuns("s", 10))),
              () ->
                  store.inTransaction(
                      StoreOp.SCHEDULE, tx -> tx.change(new ScheduleDelete("s")) == 1));
      calls.forEach(call -> assertThat(throwsUnavailable(call)).isTrue());
      assertThat(store.injected(StoreOp.SCHEDULE)).isEqualTo(calls.size());
      assertThat(store.injected(StoreOp.READ)).isZero();
    }
  }

  @Test
  void keyAndAuditCallsAreDisturbedAsOperationsOfTheirOwn() {
    try (var store =
        FaultInjectingStore.around(H2Stores.inMemory())
            .seed(4)
            .failBefore(StoreOp.API_KEY, 1.0)
            .failAfter(StoreOp.AUDIT, 1.0)
            .build()) {
      ApiKey key = ApiKeys.generate("ops", Role.OPERATOR, TestJobs.T0, "test").key();
      List<Supplier<?>> keyCalls =
          List.of(
              () -> store.inTransaction(StoreOp.API_KEY, tx -> tx.apiKeyInsert(key)),
              () -> store.read(StoreOp.API_KEY, tx -> tx.first(new ApiKeyByHash(key.secretHash()))),
              () -> store.read(StoreOp.API_KEY, tx -> tx.query(new ApiKeyList())),
              () ->
                  store.inTransaction(
                      StoreOp.API_KEY,
                      tx -> tx.change(new ApiKeyRevoke(key.id(), TestJobs.T0)) == 1));
      keyCalls.forEach(call -> assertThat(throwsUnavailable(call)).isTrue());
      assertThat(store.injected(StoreOp.API_KEY)).isEqualTo(keyCalls.size());

      var entry =
          new AuditEntry(0, TestJobs.T0, null, null, "auth", null, "denied", null, null, null);
      assertThat(
              throwsUnavailable(
                  () ->
                      store
                          .inTransaction(StoreOp.AUDIT, tx -> tx.auditAppendAll(List.of(entry)))
                          .getFirst()))
          .isTrue();
      assertThat(store.injectedAfter(StoreOp.AUDIT)).isEqualTo(1);
      assertThat(store.injected(StoreOp.READ)).isZero();
    }
  }

  @Test
  void theSameSeedDrawsTheSameFaultsPerOperation() {
    assertThat(faultPattern(7)).isEqualTo(faultPattern(7)).contains(true, false);
    assertThat(faultPattern(7)).isNotEqualTo(faultPattern(8));
  }

  private static List<Boolean> faultPattern(long seed) {
    var failed = new ArrayList<Boolean>();
    try (var store =
        FaultInjectingStore.around(H2Stores.inMemory())
            .seed(seed)
            .failBefore(StoreOp.READ, 0.5)
            .build()) {
      for (int i = 0; i < 64; i++) {
        failed.add(
            throwsUnavailable(
                () -> store.read(StoreOp.READ, tx -> tx.query(new QueuePausedNames()))));
      }
      assertThat(store.calls(StoreOp.READ)).isEqualTo(64);
      assertThat(store.injected(StoreOp.READ)).isEqualTo(failed.stream().filter(b -> b).count());
      assertThat(store.summary()).contains("seed " + seed, "READ 64 calls");
    }
    return failed;
  }

  @Test
  void delaysAreCountedAndTheCallStillRuns() {
    try (var store =
        FaultInjectingStore.around(H2Stores.inMemory())
            .delay(StoreOp.READ, 1.0, Duration.ofMillis(1))
            .build()) {
      assertThat(store.read(StoreOp.READ, (StoreTx tx) -> tx.query(new QueuePausedNames())))
          .isEmpty();
      assertThat(store.delayed(StoreOp.READ)).isEqualTo(1);
      assertThat(store.injected(StoreOp.READ)).isZero();
    }
  }

  @Test
  void ratesOutsideZeroToOneAreRejectedNamingTheOperation() {
    var builder = FaultInjectingStore.around(H2Stores.inMemory());
    try {
      assertThatThrownBy(() -> builder.failBefore(StoreOp.CLAIM, 1.5))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("failBefore rate of CLAIM must be between 0 and 1, was 1.5");
      assertThatThrownBy(
              () -> builder.failBefore(StoreOp.CLAIM, 0.6).failAfter(StoreOp.CLAIM, 0.6).build())
          .hasMessageContaining("failBefore + failAfter of CLAIM must be at most 1");
    } finally {
      builder.failBefore(StoreOp.CLAIM, 0).failAfter(StoreOp.CLAIM, 0).build().close();
    }
  }

  private static boolean throwsUnavailable(Supplier<?> call) {
    try {
      call.get();
      return false;
    } catch (StoreUnavailableException e) {
      return true;
    }
  }

  @Test
  void anImpostorSendsTheForgedTermInsideOperationRecords() {
    try (var store = FaultInjectingStore.around(H2Stores.inMemory()).build()) {
      Leadership leader =
          store.keepAlive(
              StoreOp.LEADER, tx -> tx.leaderTry("a", TestJobs.T0, Duration.ofSeconds(30)));
      var own = new LeaderTerm("b", leader.term() + 7);
      Supplier<Boolean> bHolds =
          () ->
              store.inTransaction(
                  StoreOp.LEADER,
                  tx -> tx.first(new LeaderHolds(own, TestJobs.T0.plusSeconds(1))).isPresent());
      assertThat(bHolds.get()).isFalse();

      store.impersonate(new LeaderTerm("a", leader.term()), Duration.ofMinutes(1));

      assertThat(bHolds.get()).as("the forged term replaced the one in LeaderHolds").isTrue();
    }
  }
}
