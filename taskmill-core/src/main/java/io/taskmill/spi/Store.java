package io.taskmill.spi;

import io.taskmill.job.JobEvent;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * The one seam between the engine and persistence; every implementation passes the contract suite
 * in {@code taskmill-testkit} unchanged.
 *
 * <p>The engine's decisions run in {@link #inTransaction}, {@link #read} and {@link #keepAlive},
 * over the table operations of {@link StoreTx}, which decide nothing; a new table operation is one
 * method there and one statement per dialect, never a method here.
 *
 * <p>Rules every implementation keeps:
 *
 * <ul>
 *   <li>Each {@link #inTransaction}, {@link #read} and {@link #keepAlive} call is one transaction:
 *       the row changes and the {@link JobEvent}s that record them commit together or not at all.
 *   <li>Every state change is guarded in the write itself ({@code WHERE state = …}, and {@code AND
 *       lease_epoch = …} for attempt outcomes), so a lost race changes nothing instead of
 *       overwriting; every change increments the row's {@code version}.
 *   <li>Uniqueness (idempotency keys) is enforced by a constraint, never by check-then-insert.
 *   <li>Time comes from the {@code now} parameters, never from the JVM. By default the engine's
 *       clock follows {@link #storeTime()}, so every node sharing a store judges due times, leases,
 *       heartbeats and leader terms by one clock, the database's, whatever its own clock says.
 *   <li>A failure to reach the database surfaces as {@link StoreUnavailableException}.
 * </ul>
 */
public interface Store extends AutoCloseable {

  /** What this store is, for logs and the benchmark's configuration line. */
  StoreInfo info();

  /**
   * Runs {@code work} in one transaction that may write, and commits it: when this returns, what it
   * wrote is durable. {@code op} names the transaction. A transaction the database aborts to break
   * a deadlock may be run again; a failure to reach the database surfaces as {@link
   * StoreUnavailableException}, and then nothing was written unless the commit itself was lost.
   */
  <T> T inTransaction(StoreOp op, TxWork<T> work);

  /**
   * Runs {@code work} in one transaction that only reads; {@code op} names it. Its table operations
   * must not write.
   */
  <T> T read(StoreOp op, TxWork<T> work);

  /**
   * Runs {@code work} in one transaction that may write, as {@link #inTransaction} does, on
   * connections kept apart for proving liveness (lease and lock renewals, heartbeats, leadership),
   * so that those never queue behind a busy engine's claims and completions and a node is not
   * declared dead for being busy. Its work must stay a few short statements.
   */
  <T> T keepAlive(StoreOp op, TxWork<T> work);

  /** The time by the store's own clock, which every node sharing the store agrees on. */
  Instant storeTime();

  /**
   * Calls {@code queueReady} with a queue name when another process may have made jobs ready in it,
   * until the returned handle is closed; best effort, so polling stays the fallback, and stores
   * without push keep this default, which never calls it.
   */
  default AutoCloseable jobSubscribe(Consumer<String> queueReady) {
    return () -> {};
  }

  /** Closes connections; the store is unusable afterwards. */
  @Override
  void close();
}
