package io.taskmill.internal.leader;

import io.taskmill.job.JobId;
import io.taskmill.job.JobState;
import io.taskmill.spi.LeaderTerm;
import io.taskmill.spi.Ops.AuditPrune;
import io.taskmill.spi.Ops.JobDelete;
import io.taskmill.spi.Ops.JobPrunable;
import io.taskmill.spi.Ops.LeaderHolds;
import io.taskmill.spi.Ops.NodePrune;
import io.taskmill.spi.Ops.OutboxPrune;
import io.taskmill.spi.Ops.ScheduleRunPrune;
import io.taskmill.spi.Retained;
import io.taskmill.spi.Store;
import io.taskmill.spi.StoreOp;
import java.time.Instant;
import java.util.List;

/**
 * Deletes what is old enough to go, a batch per transaction: finished jobs with their history,
 * departed nodes, schedule runs, feed outbox rows and audit entries. A leader-only duty, fenced in
 * each transaction by the term, so a deposed leader deletes nothing.
 */
public final class Retention {
  private Retention() {}

  /**
   * Deletes up to {@code limit} jobs in the terminal {@code state} that finished before {@code
   * finishedBefore}, with their events and log lines; 0 unless {@code leader} still leads.
   */
  public static int jobs(
      Store store,
      LeaderTerm leader,
      Instant now,
      JobState state,
      Instant finishedBefore,
      int limit) {
    if (!state.isTerminal()) {
      throw new IllegalArgumentException("only finished jobs are pruned, not " + state);
    }
    return store.inTransaction(
        StoreOp.PRUNE,
        tx -> {
          if (tx.first(new LeaderHolds(leader, now)).isEmpty()) {
            return 0;
          }
          List<JobId> ids = tx.query(new JobPrunable(state, finishedBefore, limit));
          return ids.isEmpty() ? 0 : tx.change(new JobDelete(ids));
        });
  }

  /**
   * Deletes up to {@code limit} rows of {@code what} older than {@code before}; 0 unless {@code
   * leader} still leads.
   */
  public static int rows(
      Store store, LeaderTerm leader, Instant now, Retained what, Instant before, int limit) {
    StoreOp op =
        switch (what) {
          case NODES -> StoreOp.NODE;
          case SCHEDULE_RUNS -> StoreOp.SCHEDULE;
          case OUTBOX, AUDIT -> StoreOp.PRUNE;
        };
    return store.inTransaction(
        op,
        tx ->
            tx.first(new LeaderHolds(leader, now)).isPresent()
                ? tx.change(
                    switch (what) {
                      case NODES -> new NodePrune(before);
                      case SCHEDULE_RUNS -> new ScheduleRunPrune(before, limit);
                      case OUTBOX -> new OutboxPrune(before, limit);
                      case AUDIT -> new AuditPrune(before, limit);
                    })
                : 0);
  }
}
