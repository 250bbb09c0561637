package io.taskmill.job;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * How a failed attempt is retried: the backoff between attempts, how many attempts, and which
 * errors are worth retrying.
 *
 * <pre>{@code
 * Retry.exponential(Duration.ofSeconds(1)).maxAttempts(5).jitter(0.2)
 *     .retryOn(IOException.class).abortOn(IllegalArgumentException.class)
 * }</pre>
 *
 * <p>Exception filters by type are stored with the job as class names and matched by name against
 * the thrown exception's class, superclasses and interfaces, so no class is ever loaded from stored
 * data. Predicates ({@link #retryIf}, {@link #abortIf}) and the {@link #onRetry} callback are code,
 * so they can only be part of a handler's or the engine's default policy, not of one job's options.
 * Instances are immutable.
 */
public final class Retry {
  /** The shape of the delay between attempts. */
  public enum Backoff {
    /** The same delay every time. */
    FIXED,
    /** {@code initial × attempt}. */
    LINEAR,
    /** {@code initial × multiplier^(attempt-1)}. */
    EXPONENTIAL
  }

  /** Called when an attempt failed and the job will run again. */
  @FunctionalInterface
  public interface RetryListener {
    /** {@code attempt} is the attempt that failed; the next starts after {@code delay}. */
    void onRetry(JobId id, String type, int attempt, Throwable error, Duration delay);
  }

  private static final Duration DEFAULT_MAX_DELAY = Duration.ofHours(1);

  private final Backoff backoff;
  private final Duration initial;
  private final Duration maxDelay;
  private final double multiplier;
  private final double jitter;
  private final int maxAttempts;
  private final List<String> retryOn;
  private final List<String> abortOn;
  private final List<Predicate<Throwable>> retryIf;
  private final List<Predicate<Throwable>> abortIf;
  private final RetryListener onRetry;

  private Retry(
      Backoff backoff,
      Duration initial,
      Duration maxDelay,
      double multiplier,
      double jitter,
      int maxAttempts,
      List<String> retryOn,
      List<String> abortOn,
      List<Predicate<Throwable>> retryIf,
      List<Predicate<Throwable>> abortIf,
      RetryListener onRetry) {
    this.backoff = backoff;
    this.initial = initial;
    this.maxDelay = maxDelay;
    this.multiplier = multiplier;
    this.jitter = jitter;
    this.maxAttempts = maxAttempts;
    this.retryOn = List.copyOf(retryOn);
    this.abortOn = List.copyOf(abortOn);
    this.retryIf = List.copyOf(retryIf);
    this.abortIf = List.copyOf(abortIf);
    this.onRetry = onRetry;
  }

  private static Retry of(Backoff backoff, Duration initial, int maxAttempts) {
    return new Retry(
        backoff,
        initial,
        DEFAULT_MAX_DELAY,
        2.0,
        0.0,
        maxAttempts,
        List.of(),
        List.of(),
        List.of(),
        List.of(),
        null);
  }

  /** The same {@code delay} between attempts; 3 attempts unless changed. */
  public static Retry fixed(Duration delay) {
    return of(Backoff.FIXED, delay, 3);
  }

  /**
   * Delays of {@code initial}, {@code 2×initial}, {@code 3×initial}…; 5 attempts unless changed.
   */
  public static Retry linear(Duration initial) {
    return of(Backoff.LINEAR, initial, 5);
  }

  /** Delays doubling from {@code initial}; 10 attempts unless changed. */
  public static Retry exponential(Duration initial) {
    return of(Backoff.EXPONENTIAL, initial, 10);
  }

  /** One attempt only: a failure is final. */
  public static Retry none() {
    return of(Backoff.FIXED, Duration.ZERO, 1);
  }

  /** The engine's default: exponential from 1 s, ×2, at most 1 h apart, 20% jitter, 10 attempts. */
  public static Retry defaultPolicy() {
    return exponential(Duration.ofSeconds(1)).jitter(0.2);
  }

  private Retry copy(
      Duration maxDelay,
      double multiplier,
      double jitter,
      int maxAttempts,
      List<String> retryOn,
      List<String> abortOn,
      List<Predicate<Throwable>> retryIf,
      List<Predicate<Throwable>> abortIf,
      RetryListener onRetry) {
    return new Retry(
        backoff,
        initial,
        maxDelay,
        multiplier,
        jitter,
        maxAttempts,
        retryOn,
        abortOn,
        retryIf,
        abortIf,
        onRetry);
  }

  /** Total attempts including the first; at least 1. */
  public Retry maxAttempts(int n) {
    return copy(maxDelay, multiplier, jitter, n, retryOn, abortOn, retryIf, abortIf, onRetry);
  }

  /** Caps every delay, jitter included. */
  public Retry maxDelay(Duration d) {
    return copy(d, multiplier, jitter, maxAttempts, retryOn, abortOn, retryIf, abortIf, onRetry);
  }

  /** Growth factor for {@link Backoff#EXPONENTIAL}; at least 1. */
  public Retry multiplier(double m) {
    return copy(maxDelay, m, jitter, maxAttempts, retryOn, abortOn, retryIf, abortIf, onRetry);
  }

  /**
   * Spreads each delay uniformly over {@code ±fraction} of itself (0 to 1), so jobs that failed
   * together do not all retry in the same instant.
   */
  public Retry jitter(double fraction) {
    return copy(
        maxDelay, multiplier, fraction, maxAttempts, retryOn, abortOn, retryIf, abortIf, onRetry);
  }

  /** Retry only errors of these types (or subtypes); any other error is final. */
  @SafeVarargs
  public final Retry retryOn(Class<? extends Throwable>... types) {
    return copy(
        maxDelay,
        multiplier,
        jitter,
        maxAttempts,
        plus(retryOn, names(types)),
        abortOn,
        retryIf,
        abortIf,
        onRetry);
  }

  /** Never retry errors of these types (or subtypes); takes precedence over {@link #retryOn}. */
  @SafeVarargs
  public final Retry abortOn(Class<? extends Throwable>... types) {
    return copy(
        maxDelay,
        multiplier,
        jitter,
        maxAttempts,
        retryOn,
        plus(abortOn, names(types)),
        retryIf,
        abortIf,
        onRetry);
  }

  /** Retry only errors this predicate accepts (combined with {@link #retryOn} by "or"). */
  public Retry retryIf(Predicate<Throwable> p) {
    return copy(
        maxDelay,
        multiplier,
        jitter,
        maxAttempts,
        retryOn,
        abortOn,
        plus(retryIf, List.of(Objects.requireNonNull(p, "predicate"))),
        abortIf,
        onRetry);
  }

  /** Never retry errors this predicate accepts. */
  public Retry abortIf(Predicate<Throwable> p) {
    return copy(
        maxDelay,
        multiplier,
        jitter,
        maxAttempts,
        retryOn,
        abortOn,
        retryIf,
        plus(abortIf, List.of(Objects.requireNonNull(p, "predicate"))),
        onRetry);
  }

  /** Called after each failed attempt that will be retried, before the retry is stored. */
  public Retry onRetry(RetryListener listener) {
    return copy(
        maxDelay,
        multiplier,
        jitter,
        maxAttempts,
        retryOn,
        abortOn,
        retryIf,
        abortIf,
        Objects.requireNonNull(listener, "listener"));
  }

  public Backoff backoff() {
    return backoff;
  }

  public Duration initialDelay() {
    return initial;
  }

  public Duration maxDelay() {
    return maxDelay;
  }

  public double multiplier() {
    return multiplier;
  }

  public double jitter() {
    return jitter;
  }

  public int maxAttempts() {
    return maxAttempts;
  }

  public List<String> retryOnTypes() {
    return retryOn;
  }

  public List<String> abortOnTypes() {
    return abortOn;
  }

  public RetryListener retryListener() {
    return onRetry;
  }

  /**
   * True when this policy holds code (predicates or a callback) that cannot be stored with a job.
   */
  public boolean hasCode() {
    return !retryIf.isEmpty() || !abortIf.isEmpty() || onRetry != null;
  }

  /** Problems with this policy, each naming {@code field} and what is allowed; empty when valid. */
  public List<String> problems(String field) {
    var out = new ArrayList<String>();
    if (initial == null || initial.isNegative()) {
      out.add(field + ".initialDelay must be zero or positive, was " + initial);
    }
    if (maxDelay == null
        || maxDelay.isNegative()
        || maxDelay.isZero() && backoff != Backoff.FIXED) {
      out.add(field + ".maxDelay must be positive, was " + maxDelay);
    }
    if (!(multiplier >= 1.0) || multiplier > 100) {
      out.add(field + ".multiplier must be between 1 and 100, was " + multiplier);
    }
    if (!(jitter >= 0.0 && jitter <= 1.0)) {
      out.add(field + ".jitter must be between 0 and 1, was " + jitter);
    }
    if (retryOn.size() + abortOn.size() > 20) {
      out.add(
          field
              + ": at most 20 exception types in retryOn and abortOn together, got "
              + (retryOn.size() + abortOn.size()));
    }
    if (maxAttempts < 1 || maxAttempts > 1000) {
      out.add(field + ".maxAttempts must be between 1 and 1000, was " + maxAttempts);
    }
    return out;
  }

  /**
   * The delay before the attempt after {@code failedAttempt} (1-based), jitter applied from {@code
   * random}; always between zero and {@link #maxDelay()}.
   */
  public Duration delayAfter(int failedAttempt, RandomGenerator random) {
    double base = baseDelayNanos(failedAttempt);
    double cap = maxDelay.toNanos();
    base = Math.min(base, cap);
    if (jitter > 0 && base > 0) {
      base = base * (1 + jitter * (2 * random.nextDouble() - 1));
    }
    return Duration.ofNanos((long) Math.max(0, Math.min(base, cap)));
  }

  private double baseDelayNanos(int failedAttempt) {
    double first = initial.toNanos();
    int n = Math.max(1, failedAttempt);
    return switch (backoff) {
      case FIXED -> first;
      case LINEAR -> first * n;
      // pow overflows to Infinity for large n, which the cap then clamps
      case EXPONENTIAL -> first * Math.pow(multiplier, n - 1);
    };
  }

  /**
   * Whether {@code error} may be retried at all (ignoring the attempt count): not aborted by a
   * filter, and accepted by the retry filters when there are any. Returns the reason it is final,
   * or null when it may be retried.
   */
  public String nonRetryableReason(Throwable error) {
    for (String name : abortOn) {
      if (isInstance(error, name)) {
        return "not retried: " + error.getClass().getName() + " matches abortOn " + name;
      }
    }
    for (Predicate<Throwable> p : abortIf) {
      if (p.test(error)) {
        return "not retried: " + error.getClass().getName() + " matches an abortIf predicate";
      }
    }
    if (retryOn.isEmpty() && retryIf.isEmpty()) {
      return null;
    }
    for (String name : retryOn) {
      if (isInstance(error, name)) {
        return null;
      }
    }
    for (Predicate<Throwable> p : retryIf) {
      if (p.test(error)) {
        return null;
      }
    }
    return "not retried: "
        + error.getClass().getName()
        + " matches none of retryOn "
        + retryOn
        + (retryIf.isEmpty() ? "" : " or the retryIf predicates");
  }

  /**
   * Adds another policy's code (predicates, callback) to this one's data, for the handler's code.
   */
  public Retry withCodeOf(Retry other) {
    return new Retry(
        backoff,
        initial,
        maxDelay,
        multiplier,
        jitter,
        maxAttempts,
        retryOn,
        abortOn,
        plus(retryIf, other.retryIf),
        plus(abortIf, other.abortIf),
        onRetry != null ? onRetry : other.onRetry);
  }

  /** Matches by name through the class hierarchy, so no class named by data is ever loaded. */
  static boolean isInstance(Throwable error, String typeName) {
    for (Class<?> c = error.getClass(); c != null; c = c.getSuperclass()) {
      if (c.getName().equals(typeName) || implementsNamed(c, typeName)) {
        return true;
      }
    }
    return false;
  }

  private static boolean implementsNamed(Class<?> c, String typeName) {
    for (Class<?> i : c.getInterfaces()) {
      if (i.getName().equals(typeName) || implementsNamed(i, typeName)) {
        return true;
      }
    }
    return false;
  }

  @SafeVarargs
  private static List<String> names(Class<? extends Throwable>... types) {
    var out = new ArrayList<String>();
    for (var t : types) {
      out.add(Objects.requireNonNull(t, "exception type").getName());
    }
    return out;
  }

  private static <T> List<T> plus(List<T> a, List<T> b) {
    var out = new ArrayList<T>(a);
    out.addAll(b);
    return out;
  }

  /** The storable part of this policy (everything but code). */
  public RetrySpec toSpec() {
    return new RetrySpec(
        backoff,
        initial.toMillis(),
        maxDelay.toMillis(),
        multiplier,
        jitter,
        maxAttempts,
        retryOn,
        abortOn);
  }

  /** Rebuilds a policy from its stored part. */
  public static Retry fromSpec(RetrySpec s) {
    return new Retry(
        s.backoff(),
        Duration.ofMillis(s.initialMs()),
        Duration.ofMillis(s.maxDelayMs()),
        s.multiplier(),
        s.jitter(),
        s.maxAttempts(),
        s.retryOn(),
        s.abortOn(),
        List.of(),
        List.of(),
        null);
  }

  /**
   * The storable part of a {@link Retry}, as kept in the job row (JSON).
   *
   * @param retryOn exception class names to retry (empty = any not aborted)
   * @param abortOn exception class names never to retry
   */
  public record RetrySpec(
      Backoff backoff,
      long initialMs,
      long maxDelayMs,
      double multiplier,
      double jitter,
      int maxAttempts,
      List<String> retryOn,
      List<String> abortOn) {
    public RetrySpec {
      retryOn = retryOn == null ? List.of() : List.copyOf(retryOn);
      abortOn = abortOn == null ? List.of() : List.copyOf(abortOn);
    }
  }

  @Override
  public String toString() {
    return "Retry["
        + backoff
        + " "
        + initial
        + " ×"
        + multiplier
        + " max "
        + maxDelay
        + ", jitter "
        + jitter
        + ", maxAttempts "
        + maxAttempts
        + ", retryOn "
        + retryOn
        + ", abortOn "
        + abortOn
        + (hasCode() ? ", with code" : "")
        + "]";
  }
}
