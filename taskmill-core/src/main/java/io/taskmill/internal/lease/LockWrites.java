package io.taskmill.internal.lease;

import io.taskmill.spi.LockRef;
import io.taskmill.spi.Ops.LockRelease;
import io.taskmill.spi.Store;
import io.taskmill.spi.StoreOp;
import java.util.Comparator;
import java.util.List;

/** Gives named locks back, so anyone may take them at once. */
public final class LockWrites {
  private LockWrites() {}

  /**
   * Releases each lock still held by its holder under its token; a lock since taken by another
   * holder is left alone. Returns how many were released.
   */
  public static int release(Store store, List<LockRef> locks) {
    if (locks.isEmpty()) {
      return 0;
    }
    // In name order, so concurrent writers of several rows lock them in one order.
    List<LockRef> sorted =
        locks.stream()
            .sorted(Comparator.comparing(LockRef::name).thenComparingLong(LockRef::token))
            .toList();
    return store.inTransaction(
        StoreOp.LOCK,
        tx ->
            (int)
                tx.changeEach(sorted.stream().map(LockRelease::new).toList()).stream()
                    .filter(Boolean::booleanValue)
                    .count());
  }
}
