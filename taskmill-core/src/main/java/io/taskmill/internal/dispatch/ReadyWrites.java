package io.taskmill.internal.dispatch;

import io.taskmill.job.JobState;
import io.taskmill.spi.InsertedJob;
import io.taskmill.spi.NewJob;
import io.taskmill.spi.Ops.QueueSetPaused;
import io.taskmill.spi.Store;
import io.taskmill.spi.StoreOp;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Writes that make jobs claimable, each with the notice that wakes the other nodes sharing the
 * store, so they claim at once instead of at their next poll.
 */
public final class ReadyWrites {
  private ReadyWrites() {}

  /**
   * Inserts jobs in one transaction, in order. A job whose idempotency key is already taken is not
   * inserted; its result names the existing job with {@code created = false}. Concurrent callers
   * with the same key get the same job.
   */
  public static List<InsertedJob> insert(Store store, List<NewJob> jobs, String node) {
    if (jobs.isEmpty()) {
      return List.of();
    }
    return store.inTransaction(
        StoreOp.INSERT,
        tx -> {
          List<InsertedJob> inserted = tx.jobInsert(jobs, node);
          var ready = new TreeSet<String>();
          for (int i = 0; i < inserted.size(); i++) {
            if (inserted.get(i).created() && jobs.get(i).state() == JobState.ENQUEUED) {
              ready.add(jobs.get(i).queue());
            }
          }
          tx.notifyReady(ready);
          return inserted;
        });
  }

  /** Records a queue as paused or running, visible to every node sharing the store. */
  public static void setPaused(Store store, String queue, boolean paused) {
    store.inTransaction(
        StoreOp.QUEUE,
        tx -> {
          tx.change(new QueueSetPaused(queue, paused));
          if (!paused) {
            tx.notifyReady(Set.of(queue));
          }
          return null;
        });
  }
}
