package io.taskmill.cluster;

import io.taskmill.handler.JobContext;
import io.taskmill.handler.JobHandler;
import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.LockSupport;

/**
 * The cluster tests' job payload: {@code sleepMs} of work after the effect is recorded.
 *
 * @param n the job's number in its test, for reading logs
 */
record Work(int n, int sleepMs) {
  /** The job type every node runs unless a test says otherwise. */
  static final String TYPE = "cluster.work";

  /** Work at or above this long watches its lease while it sleeps (R22, docs/testing.md). */
  static final int WATCHED_MS = 200;

  private static final int STEP_MS = 50;

  /**
   * The test handler: records the effect first (its own autocommit), then works; long work checks
   * its lease every 50 ms and stops, noting the loss in the ledger, once the lease is gone.
   */
  static JobHandler<Work> handler(EffectLedger ledger, String node) {
    return (work, ctx) -> {
      ledger.record(ctx.jobId(), ctx.attempt(), node);
      if (work.sleepMs() < WATCHED_MS) {
        LockSupport.parkNanos(work.sleepMs() * 1_000_000L);
        return;
      }
      // Counted in steps, not against a deadline: a frozen process makes no progress, so a
      // handler thawed after SIGSTOP still has work left and must notice its lease is gone.
      try {
        for (int step = 0; step < work.sleepMs() / STEP_MS; step++) {
          if (!ctx.isLeaseValid()) {
            throw leaseLost(ledger, node, ctx);
          }
          Thread.sleep(STEP_MS);
        }
        // A process frozen during its last step has no step left to notice the loss in.
        if (!ctx.isLeaseValid()) {
          throw leaseLost(ledger, node, ctx);
        }
      } catch (InterruptedException e) {
        if (!ctx.isLeaseValid()) {
          throw leaseLost(ledger, node, ctx);
        }
        throw e;
      }
    };
  }

  private static CancellationException leaseLost(EffectLedger ledger, String node, JobContext ctx) {
    ledger.leaseLost(ctx.jobId(), ctx.attempt(), node);
    return new CancellationException("lease lost");
  }
}
