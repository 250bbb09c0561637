package io.taskmill.demo;

import io.taskmill.TaskmillBuilder;
import java.time.Duration;

/**
 * Built-in handlers for demos, benchmarks and the server's demo mode: {@code demo.noop}, {@code
 * demo.sleep}, {@code demo.fail} and {@code demo.echo}.
 *
 * <pre>{@code
 * Taskmill tm = DemoHandlers.registerAll(Taskmill.builder().inMemory()).start();
 * tm.enqueue(DemoHandlers.SLEEP, new DemoHandlers.Sleep(250));
 * }</pre>
 */
public final class DemoHandlers {
  /** Does nothing; payload {@code {}}. */
  public static final String NOOP = "demo.noop";

  /** Sleeps; payload {@code {"ms": n}}. Responds to interruption, so timeouts and cancels work. */
  public static final String SLEEP = "demo.sleep";

  /** Fails its first {@code times} attempts, then succeeds; {@code -1} always fails. */
  public static final String FAIL = "demo.fail";

  /** Returns its payload as the result. */
  public static final String ECHO = "demo.echo";

  /** Payload of {@code demo.noop}. */
  public record Noop() {}

  /** Payload of {@code demo.sleep}: how long to sleep, in milliseconds (0 to 1 day). */
  public record Sleep(long ms) {
    public Sleep {
      if (ms < 0 || ms > Duration.ofDays(1).toMillis()) {
        throw new IllegalArgumentException("ms must be between 0 and 86400000, was " + ms);
      }
    }
  }

  /** Payload of {@code demo.fail}: how many attempts fail before one succeeds; -1 = all. */
  public record Fail(int times) {
    public Fail {
      if (times < -1) {
        throw new IllegalArgumentException("times must be -1 (always fail) or >= 0, was " + times);
      }
    }
  }

  /** Payload (and result) of {@code demo.echo}. */
  public record Echo(String message) {}

  /** Thrown by {@code demo.fail} on a failing attempt. */
  public static final class DemoFailure extends RuntimeException {
    public DemoFailure(String message) {
      super(message);
    }
  }

  private DemoHandlers() {}

  /** Registers all four handlers on their default queue. */
  public static TaskmillBuilder registerAll(TaskmillBuilder builder) {
    return builder
        .handler(NOOP, Noop.class, (p, ctx) -> {})
        .handler(
            SLEEP,
            Sleep.class,
            (p, ctx) -> {
              ctx.log().info("sleeping {} ms", p.ms());
              Thread.sleep(p.ms());
            })
        .handler(
            FAIL,
            Fail.class,
            (p, ctx) -> {
              if (p.times() < 0 || ctx.attempt() <= p.times()) {
                throw new DemoFailure(
                    "planned failure on attempt "
                        + ctx.attempt()
                        + (p.times() < 0 ? " (always fails)" : " of the first " + p.times()));
              }
              ctx.log().info("succeeded on attempt {}", ctx.attempt());
            })
        .resultHandler(ECHO, Echo.class, (p, ctx) -> p);
  }
}
