package io.taskmill.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskmill.Taskmill;
import io.taskmill.engine.Payloads.Step;
import io.taskmill.internal.dispatch.Claim;
import io.taskmill.job.JobId;
import io.taskmill.job.JobOptions;
import io.taskmill.job.JobState;
import io.taskmill.spi.JobClaim;
import io.taskmill.spi.Store;
import io.taskmill.testkit.ManualEngine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The testkit's manual engine: delays and lease expiry on a fake clock. */
class ManualEngineTest {
  private final AtomicInteger runs = new AtomicInteger();

  private ManualEngine start() {
    return ManualEngine.start(
        Taskmill.builder()
            .inMemory()
            .leaseDuration(Duration.ofSeconds(30))
            .handler("test.step", Step.class, (p, ctx) -> runs.incrementAndGet()));
  }

  @Test
  void delayedJobRunsOnlyOnceTheClockReachesIt() {
    try (var engine = start()) {
      JobId id =
          engine.enqueue(
              "test.step", new Step("x"), JobOptions.defaults().delay(Duration.ofMinutes(5)));
      assertThat(engine.runDueJobs()).isZero();
      engine.tick(Duration.ofMinutes(5).minusMillis(1));
      assertThat(engine.runDueJobs()).isZero();
      engine.tick(Duration.ofMillis(1));
      assertThat(engine.runDueJobs()).isEqualTo(1);
      assertThat(engine.taskmill().jobs().get(id).orElseThrow().state())
          .isEqualTo(JobState.SUCCEEDED);
    }
  }

  /**
   * A handler learns its lease is gone the moment the lease's expiry passes unrenewed (a frozen or
   * cut-off node), not only when a later renewal says so; a renewal moves the expiry on.
   */
  @Test
  void leaseTurnsInvalidOnceItsExpiryPassesWithoutARenewal() {
    var engineRef = new AtomicReference<ManualEngine>();
    var seen = new ArrayList<Boolean>();
    Duration lease = Duration.ofSeconds(30);
    try (var engine =
        ManualEngine.start(
            Taskmill.builder()
                .inMemory()
                .leaseDuration(lease)
                .handler(
                    "test.step",
                    Step.class,
                    (p, ctx) -> {
                      ManualEngine self = engineRef.get();
                      seen.add(ctx.isLeaseValid());
                      self.tick(lease.dividedBy(2));
                      self.renewLeases(); // expires 1.5 leases after the claim now
                      self.tick(lease.dividedBy(2).plusSeconds(1));
                      seen.add(ctx.isLeaseValid());
                      self.tick(lease);
                      seen.add(ctx.isLeaseValid());
                    }))) {
      engineRef.set(engine);
      engine.enqueue("test.step", new Step("x"), JobOptions.defaults());

      assertThat(engine.runDueJobs()).isEqualTo(1);

      assertThat(seen)
          .as("at the start, after a renewal, past the renewed expiry")
          .containsExactly(true, true, false);
    }
  }

  @Test
  void jobWhoseNodeDiedIsRescuedAfterItsLeaseExpiresAndRunsAgain() {
    try (Store store = JobControlTest.openInMemory();
        var engine =
            ManualEngine.start(
                Taskmill.builder()
                    .store(store)
                    .leaseDuration(Duration.ofSeconds(30))
                    .handler("test.step", Step.class, (p, ctx) -> runs.incrementAndGet()))) {
      JobId id = engine.enqueue("test.step", new Step("x"), JobOptions.defaults());
      // Another node claims it and dies without renewing.
      var claimed =
          Claim.run(
                  store,
                  new JobClaim(
                      "default",
                      1,
                      "dead-node",
                      engine.clock().instant(),
                      Duration.ofSeconds(30),
                      Set.of("test.step"),
                      Map.of()))
              .jobs();
      assertThat(claimed).hasSize(1);
      engine.tick(Duration.ofSeconds(29));
      assertThat(engine.runRescuer()).isZero();
      engine.tick(Duration.ofSeconds(2));
      assertThat(engine.runRescuer()).isEqualTo(1);
      assertThat(engine.taskmill().jobs().get(id).orElseThrow().state())
          .isEqualTo(JobState.ENQUEUED);
      assertThat(engine.runDueJobs()).isEqualTo(1);
      var job = engine.taskmill().jobs().get(id).orElseThrow();
      assertThat(job.state()).isEqualTo(JobState.SUCCEEDED);
      assertThat(job.attempt()).isEqualTo(2);
      assertThat(engine.taskmill().jobs().events(id))
          .anySatisfy(e -> assertThat(e.message()).contains("dead-node"));
    }
  }
}
