package io.taskmill.internal;

import io.taskmill.handler.JobContext;
import io.taskmill.handler.JobLogger;
import io.taskmill.handler.JobTimeoutException;
import io.taskmill.job.ErrorSummary;
import io.taskmill.job.Job;
import io.taskmill.job.JobId;
import io.taskmill.job.JobLogLine;
import io.taskmill.job.LogLevel;
import io.taskmill.job.Outcome;
import io.taskmill.job.Retry;
import io.taskmill.lock.Locks;
import io.taskmill.spi.JobCompletion;
import io.taskmill.spi.LeaseRef;
import io.taskmill.spi.LockHolder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.helpers.MessageFormatter;
import tools.jackson.core.JacksonException;

/**
 * One attempt of one job on this node: runs the handler on its own virtual thread, turns what
 * happened into exactly one {@link Outcome}, and is the handler's {@link JobContext}.
 *
 * <p>The outcome is reported at most once ({@link #reported}): by the handler's return, by the
 * timeout watchdog when the handler ignores its interrupt, or never when the node gives the job
 * back at shutdown.
 */
final class Execution implements JobContext, Runnable {
  private static final Logger log = LoggerFactory.getLogger(Execution.class);

  /** Longest stored log line; SLF4J still gets the whole message. */
  static final int MAX_LINE_CHARS = 4000;

  /** The error type recorded when a stored payload cannot become the handler's record. */
  static final String PAYLOAD_BINDING_ERROR = "io.taskmill.PayloadBindingException";

  private final Job job;
  private final HandlerDef def;
  private final EngineConfig cfg;
  private final Completer completer;
  private final Runnable onExit;
  private final AtomicBoolean reported = new AtomicBoolean();

  /**
   * The slot is held until both the thread has ended and the outcome is settled (written, refused
   * or given back), so the jobs in flight on a node never exceed its concurrency.
   */
  private final AtomicInteger slotHolds = new AtomicInteger(2);

  private final List<JobLogLine> lines = new ArrayList<>();
  private final Logger jobLog;
  private final AttemptLocks locks;
  private volatile Thread thread;
  private volatile String stopReason;
  private volatile boolean cancelRequested;
  private volatile boolean timedOut;
  private volatile boolean leaseValid = true;

  /**
   * When the lease runs out unless renewed, by the engine's clock (the store's, advanced by the
   * monotonic timer): a node frozen or cut off past it must not trust the lease even before its
   * next renewal says so, or a handler thawed after a long pause would carry on as the owner.
   */
  private volatile Instant leaseExpiresAt;

  /** Timeout watchdogs to cancel when the attempt ends; set by the engine before it starts. */
  volatile List<ScheduledFuture<?>> watchdogs = List.of();

  Execution(
      Job job,
      HandlerDef def,
      EngineConfig cfg,
      Completer completer,
      NodeLocks nodeLocks,
      Runnable onExit) {
    this.job = job;
    this.def = def;
    this.cfg = cfg;
    this.completer = completer;
    this.onExit = onExit;
    this.jobLog = LoggerFactory.getLogger("io.taskmill.job." + job.type());
    this.leaseExpiresAt = job.leaseExpiresAt();
    this.locks =
        nodeLocks.forAttempt(
            new LockHolder(cfg.nodeId(), job.id(), job.leaseEpoch()),
            this::checkCancelled,
            message -> note(LogLevel.WARN, message));
  }

  Job job() {
    return job;
  }

  LeaseRef lease() {
    return new LeaseRef(job.id(), job.leaseEpoch());
  }

  @Override
  public void run() {
    thread = Thread.currentThread();
    putMdc();
    try {
      Object payload;
      try {
        payload = bindPayload();
      } catch (JacksonException e) {
        // Stored data no longer binds (planted row, or the payload type changed since enqueue):
        // retrying cannot help, so the job is dead on its first attempt. The handler never runs.
        String why =
            "payload does not bind to "
                + def.info().payloadType().getName()
                + ": "
                + JsonCodec.describe(e);
        report(new Outcome.Dead(ErrorSummary.of(PAYLOAD_BINDING_ERROR, why)));
        return;
      }
      if (payload == null) {
        // A NULL or JSON null payload (only a row written around the engine has one): the
        // handler's record would be null, which no handler expects; as final as a binding error.
        report(
            new Outcome.Dead(
                ErrorSummary.of(
                    PAYLOAD_BINDING_ERROR,
                    "payload is "
                        + (job.payloadJson() == null ? "missing (NULL in the store)" : "JSON null")
                        + "; a "
                        + def.info().payloadType().getName()
                        + " (a JSON object) is required")));
        return;
      }
      Object result;
      try {
        result = def.invoker().invoke(payload, this);
      } finally {
        // Before the outcome is reported, so a job seen finished holds no locks. A handler that
        // ignored its timeout keeps its locks until it really returns: it may still be working.
        locks.releaseAll();
      }
      if (timedOut) {
        report(failure(new JobTimeoutException(job.timeout())));
      } else {
        String json = result == null ? null : cfg.json().write(result);
        if (json != null && json.length() > JsonCodec.MAX_DOCUMENT_CHARS) {
          throw new IllegalStateException(
              "the handler's result is "
                  + json.length()
                  + " characters as JSON; at most "
                  + JsonCodec.MAX_DOCUMENT_CHARS
                  + " are stored");
        }
        report(new Outcome.Succeeded(json));
      }
    } catch (Throwable t) {
      if (reported.get()) {
        // Given back at shutdown, or abandoned after its timeout: the outcome is already decided.
        return;
      }
      if (timedOut) {
        report(failure(new JobTimeoutException(job.timeout())));
      } else if (cancelRequested) {
        report(new Outcome.Cancelled("cancelled by user"));
      } else {
        report(failure(t));
      }
      if (t instanceof VirtualMachineError vmError) {
        throw vmError;
      }
    } finally {
      if (!reported.get()) {
        // Deciding the outcome itself failed (e.g. a stored retry policy that no longer parses).
        // Reporting something is what ends the lease; otherwise it would be renewed forever.
        log.error(
            "could not decide the outcome of job {} attempt {}; recording it as dead",
            job.id(),
            job.attempt());
        report(
            new Outcome.Dead(
                ErrorSummary.of(
                    "io.taskmill.EngineError",
                    "the engine could not decide this attempt's outcome; see the node's log")));
      }
      thread = null;
      Thread.interrupted(); // do not leak an interrupt aimed at this attempt
      MDC.clear();
      onExit.run();
    }
  }

  /** Binds the stored payload to the handler's record; null when there is none to bind. */
  private Object bindPayload() {
    String json = job.payloadJson();
    return json == null ? null : def.payloadReader().readValue(json);
  }

  private void putMdc() {
    MDC.put("jobId", job.id().toString());
    MDC.put("jobType", job.type());
    MDC.put("attempt", Integer.toString(job.attempt()));
    MDC.put("queue", job.queue());
    if (job.correlationId() != null) {
      MDC.put("correlationId", job.correlationId());
    }
  }

  /** Decides between retry and dead for a failed attempt, per the job's stored policy. */
  private Outcome failure(Throwable error) {
    Retry policy =
        Retry.fromSpec(cfg.json().read(job.retryPolicyJson(), Retry.RetrySpec.class))
            .withCodeOf(def.retry());
    ErrorSummary summary = ErrorSummary.of(error);
    String nonRetryable = policy.nonRetryableReason(error);
    if (nonRetryable != null) {
      note(LogLevel.WARN, "attempt " + job.attempt() + " failed, " + nonRetryable);
      return new Outcome.Dead(summary);
    }
    if (job.attempt() >= job.maxAttempts()) {
      note(
          LogLevel.WARN,
          "attempt "
              + job.attempt()
              + " of "
              + job.maxAttempts()
              + " failed; no attempts left: "
              + summary.headline());
      return new Outcome.Dead(summary);
    }
    Duration delay = policy.delayAfter(job.attempt(), ThreadLocalRandom.current());
    Instant retryAt = cfg.clock().instant().plus(delay);
    var listener = policy.retryListener();
    if (listener != null) {
      try {
        listener.onRetry(job.id(), job.type(), job.attempt(), error, delay);
      } catch (RuntimeException e) {
        log.warn("onRetry callback of {} threw; the retry goes ahead", job.type(), e);
      }
    }
    note(
        LogLevel.WARN,
        "attempt "
            + job.attempt()
            + " of "
            + job.maxAttempts()
            + " failed; retrying in "
            + delay
            + ": "
            + summary.headline());
    return new Outcome.Retrying(summary, retryAt);
  }

  private void report(Outcome outcome) {
    if (reported.compareAndSet(false, true)) {
      List<JobLogLine> snapshot;
      synchronized (lines) {
        snapshot = List.copyOf(lines);
      }
      completer.submit(
          new JobCompletion(
              job.id(),
              job.leaseEpoch(),
              job.attempt(),
              outcome,
              cfg.nodeId(),
              cfg.clock().instant(),
              snapshot,
              cfg.maxLogLinesPerJob()));
    }
  }

  /** The timeout passed: interrupt the handler; its attempt counts as failed however it ends. */
  void timeout() {
    if (!reported.get()) {
      timedOut = true;
      stop("timed out after " + job.timeout());
    }
  }

  /** The handler ignored its timeout interrupt for the grace period: record the failure anyway. */
  void abandonAfterTimeout() {
    if (thread != null && !reported.get()) {
      note(
          LogLevel.ERROR,
          "handler ignored its interrupt for "
              + cfg.timeoutGrace()
              + " after timing out; attempt recorded as failed while its thread still runs");
      report(failure(new JobTimeoutException(job.timeout())));
    }
  }

  /** A user cancelled the job while it runs. */
  void cancel() {
    cancelRequested = true;
    stop("cancelled by user");
  }

  /** Another node may own the job now; anything this attempt does may be duplicated. */
  void leaseLost() {
    leaseValid = false;
    stop("lease lost");
  }

  /**
   * Takes the job back for release at shutdown; true when this attempt had not reported yet (its
   * lease must then be released), false when its outcome is already on its way.
   */
  boolean abandonForShutdown() {
    if (!reported.compareAndSet(false, true)) {
      return false;
    }
    leaseValid = false;
    stop("node shutting down");
    return true;
  }

  private void stop(String reason) {
    if (stopReason == null) {
      stopReason = reason;
    }
    Thread t = thread;
    if (t != null) {
      t.interrupt();
    }
  }

  /** Drops one of the slot's two holds; true when this was the last, so the slot is free. */
  boolean releaseSlotHold() {
    return slotHolds.decrementAndGet() == 0;
  }

  /** True once this attempt's outcome was handed to the completer (or it was given back). */
  boolean hasReported() {
    return reported.get();
  }

  boolean isRunning() {
    return thread != null;
  }

  // --- JobContext ---

  @Override
  public JobId jobId() {
    return job.id();
  }

  @Override
  public String type() {
    return job.type();
  }

  @Override
  public String queue() {
    return job.queue();
  }

  @Override
  public int attempt() {
    return job.attempt();
  }

  @Override
  public int maxAttempts() {
    return job.maxAttempts();
  }

  @Override
  public List<String> tags() {
    return job.tags();
  }

  @Override
  public Optional<String> correlationId() {
    return Optional.ofNullable(job.correlationId());
  }

  @Override
  public JobLogger log() {
    return logger;
  }

  @Override
  public boolean isCancelled() {
    return stopReason != null;
  }

  @Override
  public void checkCancelled() {
    String reason = stopReason;
    if (reason != null) {
      throw new CancellationException(reason);
    }
  }

  @Override
  public boolean isLeaseValid() {
    Instant expires = leaseExpiresAt;
    return leaseValid && (expires == null || !cfg.clock().instant().isAfter(expires));
  }

  /** The store renewed this attempt's lease until {@code expiresAt}. */
  void leaseRenewed(Instant expiresAt) {
    leaseExpiresAt = expiresAt;
  }

  @Override
  public Locks locks() {
    return locks;
  }

  private final JobLogger logger =
      new JobLogger() {
        @Override
        public void debug(String format, Object... args) {
          log(LogLevel.DEBUG, format, args);
        }

        @Override
        public void info(String format, Object... args) {
          log(LogLevel.INFO, format, args);
        }

        @Override
        public void warn(String format, Object... args) {
          log(LogLevel.WARN, format, args);
        }

        @Override
        public void error(String format, Object... args) {
          log(LogLevel.ERROR, format, args);
        }
      };

  private void log(LogLevel level, String format, Object... args) {
    var tuple = MessageFormatter.arrayFormat(format, args);
    Throwable t = tuple.getThrowable();
    switch (level) {
      case DEBUG -> jobLog.debug(tuple.getMessage(), t);
      case INFO -> jobLog.info(tuple.getMessage(), t);
      case WARN -> jobLog.warn(tuple.getMessage(), t);
      case ERROR -> jobLog.error(tuple.getMessage(), t);
    }
    String message = tuple.getMessage();
    if (t != null) {
      message = message + " — " + ErrorSummary.of(t).headline();
    }
    storeLine(level, message);
  }

  /** Engine-written lines (retry decisions) go to the job's log and to SLF4J. */
  private void note(LogLevel level, String message) {
    log(level, "{}", message);
  }

  private void storeLine(LogLevel level, String message) {
    if (level.compareTo(cfg.jobLogLevel()) < 0) {
      return;
    }
    if (message.length() > MAX_LINE_CHARS) {
      message = message.substring(0, MAX_LINE_CHARS) + "… (truncated)";
    }
    synchronized (lines) {
      // One spare line beyond the limit lets the store note that lines were dropped.
      if (lines.size() <= cfg.maxLogLinesPerJob()) {
        lines.add(new JobLogLine(job.attempt(), cfg.clock().instant(), level, message));
      }
    }
  }
}
