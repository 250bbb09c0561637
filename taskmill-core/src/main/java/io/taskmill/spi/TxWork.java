package io.taskmill.spi;

/**
 * The engine's side of one store transaction: decides, and writes through the transaction's table
 * operations. It may run more than once (a store retries a transaction the database chose as a
 * deadlock victim), so it has no effects outside the transaction.
 */
@FunctionalInterface
public interface TxWork<T> {
  T run(StoreTx tx);
}
