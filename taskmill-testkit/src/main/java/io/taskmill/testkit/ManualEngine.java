package io.taskmill.testkit;

import io.taskmill.DrivenTaskmill;
import io.taskmill.Taskmill;
import io.taskmill.TaskmillBuilder;
import io.taskmill.job.JobId;
import io.taskmill.job.JobOptions;
import java.time.Duration;

/**
 * A Taskmill engine with no background threads, driven by the test on a {@link FakeClock}, so
 * delays, retries, backoff and lease expiry are tested without sleeping.
 *
 * <pre>{@code
 * var clock = FakeClock.create();
 * try (var engine = ManualEngine.start(Taskmill.builder().inMemory().handler(...), clock)) {
 *   JobId id = engine.taskmill().enqueue("media.resize", p, JobOptions.defaults().delay(Duration.ofMinutes(5)));
 *   engine.runDueJobs();               // nothing due yet
 *   engine.tick(Duration.ofMinutes(5));
 *   engine.runDueJobs();               // runs it, and waits for it
 * }
 * }</pre>
 *
 * <p>Handlers run on real (virtual) threads, and per-attempt timeouts are real time.
 */
public final class ManualEngine implements AutoCloseable {
  private final DrivenTaskmill engine;
  private final FakeClock clock;

  private ManualEngine(DrivenTaskmill engine, FakeClock clock) {
    this.engine = engine;
    this.clock = clock;
  }

  /** Starts a manual engine from a builder, replacing its clock with {@code clock}. */
  public static ManualEngine start(TaskmillBuilder builder, FakeClock clock) {
    return new ManualEngine(builder.clock(clock).startDriven(), clock);
  }

  /** Starts a manual engine on a new {@link FakeClock}. */
  public static ManualEngine start(TaskmillBuilder builder) {
    return start(builder, FakeClock.create());
  }

  /** The engine's public face, for enqueueing and inspecting jobs. */
  public Taskmill taskmill() {
    return engine;
  }

  /** Shorthand for {@code taskmill().enqueue(type, payload, options)}. */
  public JobId enqueue(String type, Object payload, JobOptions options) {
    return engine.enqueue(type, payload, options);
  }

  /** The fake clock the engine runs on. */
  public FakeClock clock() {
    return clock;
  }

  /** Moves the clock forward. */
  public ManualEngine tick(Duration d) {
    clock.tick(d);
    return this;
  }

  /**
   * Runs every job due now, including retries that become due without the clock moving, and waits
   * for each attempt's outcome to be stored. Returns the number of attempts run.
   */
  public int runDueJobs() {
    return engine.runDueJobs();
  }

  /** Runs the rescuer once: jobs whose lease expired go back to the queue (or die). */
  public int runRescuer() {
    return engine.runRescuer();
  }

  /**
   * Fires every schedule due by the fake clock, taking the lead if it is free; returns how many
   * jobs the ticks created (run them with {@link #runDueJobs()}).
   */
  public int runSchedules() {
    return engine.runSchedules();
  }

  /**
   * Runs one heartbeat (node row, leadership, lease renewal); returns whether it reached the store.
   * A failed beat holds claims, and one that succeeds after failures makes the leader give the
   * other nodes time to beat before judging them.
   */
  public boolean heartbeat() {
    return engine.heartbeat();
  }

  /** Renews the leases of jobs running on this engine. */
  public void renewLeases() {
    engine.renewLeases();
  }

  @Override
  public void close() {
    engine.close();
  }
}
