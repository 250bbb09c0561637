package io.taskmill.bench;

import io.taskmill.spi.Store;
import io.taskmill.spi.StoreOp;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Times the engine's claims: a store that passes every call through and, while recording, notes how
 * long each claim took (the {@link StoreOp#CLAIM} transaction that finds and takes up to a claim
 * batch of ready jobs). The figure a backlog or a large finished-jobs table would raise first.
 */
final class ClaimTimer {
  /** At most this many claims are kept; a drain of a million jobs makes about 3,400. */
  private static final int MAX_SAMPLES = 1 << 20;

  private final AtomicBoolean recording = new AtomicBoolean();
  private final AtomicLongArray nanos = new AtomicLongArray(MAX_SAMPLES);
  private final AtomicInteger count = new AtomicInteger();

  /** {@code store} with its claims timed by this timer. */
  Store wrap(Store store) {
    InvocationHandler handler =
        (proxy, method, args) -> {
          boolean timed =
              method.getName().equals("inTransaction")
                  && args[0] == StoreOp.CLAIM
                  && recording.get();
          long start = timed ? System.nanoTime() : 0;
          try {
            return method.invoke(store, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          } finally {
            if (timed) {
              int i = count.getAndIncrement();
              if (i < MAX_SAMPLES) {
                nanos.set(i, System.nanoTime() - start);
              }
            }
          }
        };
    return (Store)
        Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {Store.class}, handler);
  }

  /** Forgets earlier claims and times the ones from now on. */
  void start() {
    count.set(0);
    recording.set(true);
  }

  /** Stops timing; returns the claims timed since {@link #start}, or null when there were none. */
  Latencies stop() {
    recording.set(false);
    int n = Math.min(count.get(), MAX_SAMPLES);
    if (n == 0) {
      return null;
    }
    long[] values = new long[n];
    for (int i = 0; i < n; i++) {
      values[i] = nanos.get(i);
    }
    return Latencies.ofNanos(values);
  }
}
