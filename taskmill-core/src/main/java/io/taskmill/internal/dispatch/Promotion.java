package io.taskmill.internal.dispatch;

import io.taskmill.job.JobState;
import io.taskmill.spi.JobAttempt;
import io.taskmill.spi.Ops.JobDueScheduled;
import io.taskmill.spi.Ops.JobPromote;
import io.taskmill.spi.Store;
import io.taskmill.spi.StoreOp;
import io.taskmill.spi.Transition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** Scheduled jobs whose time came become ready to claim, each with its event. */
public final class Promotion {
  private Promotion() {}

  /**
   * Moves up to {@code limit} scheduled jobs due at {@code now} to {@code ENQUEUED}, in one
   * transaction; returns how many moved.
   */
  public static int due(Store store, Instant now, int limit, String node) {
    return store.inTransaction(
        StoreOp.PROMOTE,
        tx -> {
          List<JobAttempt> due = tx.query(new JobDueScheduled(now, limit));
          if (due.isEmpty()) {
            return 0;
          }
          List<Boolean> applied =
              tx.changeEach(
                  due.stream()
                      .map(j -> new JobPromote(j.id(), JobState.SCHEDULED, JobState.ENQUEUED, now))
                      .toList());
          var transitions = new ArrayList<Transition>(due.size());
          var ready = new TreeSet<String>();
          int moved = 0;
          for (int i = 0; i < due.size(); i++) {
            if (applied.get(i)) {
              JobAttempt j = due.get(i);
              transitions.add(
                  new Transition(
                      j.id(),
                      now,
                      JobState.SCHEDULED,
                      JobState.ENQUEUED,
                      node,
                      j.attempt(),
                      null,
                      null));
              ready.add(j.queue());
              moved++;
            }
          }
          tx.eventInsert(transitions);
          tx.notifyReady(ready);
          return moved;
        });
  }
}
