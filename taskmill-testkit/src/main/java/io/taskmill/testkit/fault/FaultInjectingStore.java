package io.taskmill.testkit.fault;

import io.taskmill.node.Leadership;
import io.taskmill.spi.LeaderTerm;
import io.taskmill.spi.Store;
import io.taskmill.spi.StoreInfo;
import io.taskmill.spi.StoreOp;
import io.taskmill.spi.StoreTx;
import io.taskmill.spi.StoreUnavailableException;
import io.taskmill.spi.TxWork;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A {@link Store} that wraps a real one and, per operation, throws {@link
 * StoreUnavailableException} or adds latency at configured rates: Temporal's fault-injection
 * pattern (a generator per persistence method) for Taskmill's one store seam.
 *
 * <pre>{@code
 * FaultInjectingStore store = FaultInjectingStore.around(jdbcStore)
 *     .seed(seed)                              // print it: the same seed draws the same faults
 *     .failBefore(StoreOp.CLAIM, 0.05)         // the call never reaches the database
 *     .failAfter(StoreOp.COMPLETE, 0.05)       // the call commits, its reply is lost
 *     .delay(StoreOp.RENEW, 0.05, Duration.ofMillis(300))
 *     .build();
 * Taskmill tm = Taskmill.builder().store(store)...start();
 * ...
 * store.injected(StoreOp.COMPLETE);            // how many faults the engine had to survive
 * }</pre>
 *
 * <p>A fault <em>before</em> the call is a request that never arrived; a fault <em>after</em> it is
 * the harder case of a commit whose answer was lost, which is what a dropped connection at commit
 * time looks like to the caller. Draws are random per operation from the seed; across threads the
 * order of calls still varies, so a seed reproduces the fault rates and sequences per operation,
 * not a whole run. {@code close()} and {@code info()} are never disturbed.
 */
public final class FaultInjectingStore implements Store {
  private final Store delegate;
  private final long seed;
  private final Map<StoreOp, OpFaults> faults;
  private volatile boolean down;

  /**
   * The term an impostor claims, and until when by {@link System#nanoTime}: {@link #impersonate}.
   */
  private volatile LeaderTerm forged;

  private volatile long forgedUntilNanos;

  /** How one operation is disturbed, and what was injected so far. */
  private static final class OpFaults {
    double failBefore;
    double failAfter;
    double delayRate;
    Duration delay = Duration.ZERO;
    final Random random;
    final AtomicLong calls = new AtomicLong();
    final AtomicLong before = new AtomicLong();
    final AtomicLong after = new AtomicLong();
    final AtomicLong delays = new AtomicLong();

    OpFaults(long seed, StoreOp op) {
      // One stream per operation, so adding faults to one op leaves the others' draws unchanged.
      this.random = new Random(seed * 31 + op.ordinal());
    }
  }

  private FaultInjectingStore(Store delegate, long seed, Map<StoreOp, OpFaults> faults) {
    this.delegate = delegate;
    this.seed = seed;
    this.faults = faults;
  }

  /** Starts configuring faults around {@code delegate}; nothing is disturbed until configured. */
  public static Builder around(Store delegate) {
    return new Builder(Objects.requireNonNull(delegate, "delegate"));
  }

  /** Configures a {@link FaultInjectingStore}. */
  public static final class Builder {
    private final Store delegate;
    private long seed = System.nanoTime();
    private final Map<StoreOp, double[]> rates = new EnumMap<>(StoreOp.class);
    private final Map<StoreOp, Duration> delays = new EnumMap<>(StoreOp.class);

    private Builder(Store delegate) {
      this.delegate = delegate;
    }

    /** The seed of every draw (default: the current nano time); print it to reproduce a run. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Fails {@code rate} of the calls of {@code op} before they reach the store. */
    public Builder failBefore(StoreOp op, double rate) {
      rates(op)[0] = rate(op, "failBefore", rate);
      return this;
    }

    /** Fails {@code rate} of the calls of {@code op} after the store has done them. */
    public Builder failAfter(StoreOp op, double rate) {
      rates(op)[1] = rate(op, "failAfter", rate);
      return this;
    }

    /** Delays {@code rate} of the calls of {@code op} by {@code delay} before they run. */
    public Builder delay(StoreOp op, double rate, Duration delay) {
      rates(op)[2] = rate(op, "delay", rate);
      if (delay == null || delay.isNegative()) {
        throw new IllegalArgumentException(
            "delay of " + op + " must be zero or positive, was " + delay);
      }
      delays.put(op, delay);
      return this;
    }

    private double[] rates(StoreOp op) {
      return rates.computeIfAbsent(Objects.requireNonNull(op, "op"), k -> new double[3]);
    }

    private static double rate(StoreOp op, String what, double rate) {
      if (!(rate >= 0 && rate <= 1)) {
        throw new IllegalArgumentException(
            what + " rate of " + op + " must be between 0 and 1, was " + rate);
      }
      return rate;
    }

    /** The wrapping store. */
    public FaultInjectingStore build() {
      var faults = new EnumMap<StoreOp, OpFaults>(StoreOp.class);
      for (StoreOp op : StoreOp.values()) {
        var f = new OpFaults(seed, op);
        double[] r = rates.getOrDefault(op, new double[3]);
        if (r[0] + r[1] > 1) {
          throw new IllegalArgumentException(
              "failBefore + failAfter of " + op + " must be at most 1, was " + (r[0] + r[1]));
        }
        f.failBefore = r[0];
        f.failAfter = r[1];
        f.delayRate = r[2];
        f.delay = delays.getOrDefault(op, Duration.ZERO);
        faults.put(op, f);
      }
      return new FaultInjectingStore(delegate, seed, faults);
    }
  }

  /** The seed every draw derives from. */
  public long seed() {
    return seed;
  }

  /** Failures injected into {@code op} so far, before and after the call. */
  public long injected(StoreOp op) {
    OpFaults f = faults.get(op);
    return f.before.get() + f.after.get();
  }

  /** Failures injected into {@code op} after the store had done the call (lost replies). */
  public long injectedAfter(StoreOp op) {
    return faults.get(op).after.get();
  }

  /** Delays injected into {@code op} so far. */
  public long delayed(StoreOp op) {
    return faults.get(op).delays.get();
  }

  /** Calls of {@code op} so far, disturbed or not. */
  public long calls(StoreOp op) {
    return faults.get(op).calls.get();
  }

  /** One line per disturbed operation, with the seed: for a test's output. */
  public String summary() {
    var sb = new StringBuilder("faults (seed ").append(seed).append("):");
    faults.forEach(
        (op, f) -> {
          if (f.failBefore + f.failAfter + f.delayRate > 0) {
            sb.append(
                String.format(
                    " %s %d calls, %d failed before, %d failed after, %d delayed;",
                    op, f.calls.get(), f.before.get(), f.after.get(), f.delays.get()));
          }
        });
    return sb.toString();
  }

  /**
   * Makes the node on this store an impostor for {@code d} (R9, dual leadership): each of its
   * attempts to lead is answered as though it led under {@code forged}'s term, and every leader
   * token it sends is {@code forged}, whatever the store holds. With the real leader's term and
   * name this is a forged token; the store's fencing, version guards and unique keys, not the
   * nodes' beliefs, must keep leader duties single.
   */
  public void impersonate(LeaderTerm forged, Duration d) {
    forgedUntilNanos = System.nanoTime() + d.toNanos();
    this.forged = forged;
  }

  /**
   * Starts or ends a simulated outage: while it lasts, every call fails before it reaches the
   * store, as when the database is down, on top of the configured rates.
   */
  public void outage(boolean down) {
    this.down = down;
  }

  private <T> T call(StoreOp op, Supplier<T> work) {
    OpFaults f = faults.get(op);
    long n = f.calls.incrementAndGet();
    if (down) {
      throw fault(op, n, "during the simulated outage, before");
    }
    double failDraw;
    double delayDraw;
    synchronized (f.random) {
      failDraw = f.random.nextDouble();
      delayDraw = f.random.nextDouble();
    }
    if (delayDraw < f.delayRate && f.delay.isPositive()) {
      f.delays.incrementAndGet();
      sleep(f.delay);
    }
    if (failDraw < f.failBefore) {
      f.before.incrementAndGet();
      throw fault(op, n, "before");
    }
    T result = work.get();
    if (failDraw < f.failBefore + f.failAfter) {
      f.after.incrementAndGet();
      throw fault(op, n, "after");
    }
    return result;
  }

  private void run(StoreOp op, Runnable work) {
    call(
        op,
        () -> {
          work.run();
          return null;
        });
  }

  private StoreUnavailableException fault(StoreOp op, long call, String when) {
    return new StoreUnavailableException(
        "injected fault " + when + " call " + call + " of " + op + " (seed " + seed + ")", null);
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException("interrupted during an injected delay", e);
    }
  }

  @Override
  public StoreInfo info() {
    return delegate.info();
  }

  /**
   * Disturbs a transaction as a whole, by its {@code op}: whatever table operations it runs, a
   * fault before it means none ran, and one after it means all of them committed.
   */
  @Override
  public <T> T inTransaction(StoreOp op, TxWork<T> work) {
    return call(op, () -> delegate.inTransaction(op, impostor(work)));
  }

  @Override
  public <T> T read(StoreOp op, TxWork<T> work) {
    return call(op, () -> delegate.read(op, impostor(work)));
  }

  @Override
  public <T> T keepAlive(StoreOp op, TxWork<T> work) {
    return call(op, () -> delegate.keepAlive(op, impostor(work)));
  }

  /** The store's clock, disturbed as the heartbeat it is part of. */
  @Override
  public Instant storeTime() {
    return call(StoreOp.HEARTBEAT, delegate::storeTime);
  }

  /** Not disturbed: push wake-ups are best effort already, and polling covers them. */
  @Override
  public AutoCloseable jobSubscribe(Consumer<String> queueReady) {
    return delegate.jobSubscribe(queueReady);
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public String toString() {
    return "FaultInjectingStore[" + delegate + ", seed " + seed + "]";
  }

  /** {@code work} on a transaction that lies as {@link #impersonate} says, while that lasts. */
  private <T> TxWork<T> impostor(TxWork<T> work) {
    LeaderTerm term = forged;
    if (term == null || System.nanoTime() - forgedUntilNanos > 0) {
      return work;
    }
    return tx ->
        work.run(
            (StoreTx)
                Proxy.newProxyInstance(
                    StoreTx.class.getClassLoader(),
                    new Class<?>[] {StoreTx.class},
                    (proxy, method, args) -> {
                      Object[] sent = args == null ? null : args.clone();
                      for (int i = 0; sent != null && i < sent.length; i++) {
                        sent[i] = forged(sent[i], term);
                      }
                      Object answer;
                      try {
                        answer = method.invoke(tx, sent);
                      } catch (InvocationTargetException e) {
                        throw e.getCause();
                      }
                      if (answer instanceof Leadership l && method.getName().equals("leaderTry")) {
                        return new Leadership(
                            (String) sent[0],
                            term.term(),
                            ((Instant) sent[1]).plus((Duration) sent[2]));
                      }
                      return answer;
                    }));
  }

  /**
   * {@code arg} with every leader term in it replaced by {@code term}: the term itself, or an
   * operation record ({@code Ops.LeaderHolds}, {@code Ops.LeaderResign}) that carries one.
   */
  private static Object forged(Object arg, LeaderTerm term) throws ReflectiveOperationException {
    if (arg instanceof LeaderTerm) {
      return term;
    }
    if (arg == null || !arg.getClass().isRecord()) {
      return arg;
    }
    RecordComponent[] components = arg.getClass().getRecordComponents();
    var values = new Object[components.length];
    var types = new Class<?>[components.length];
    boolean carries = false;
    for (int i = 0; i < components.length; i++) {
      types[i] = components[i].getType();
      values[i] = components[i].getAccessor().invoke(arg);
      if (values[i] instanceof LeaderTerm) {
        values[i] = term;
        carries = true;
      }
    }
    return carries ? arg.getClass().getDeclaredConstructor(types).newInstance(values) : arg;
  }
}
