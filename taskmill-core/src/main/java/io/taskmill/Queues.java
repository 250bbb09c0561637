package io.taskmill;

import io.taskmill.internal.Engine;
import io.taskmill.queue.QueueInfo;
import io.taskmill.queue.QueueStat;
import io.taskmill.spi.StoreOp;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** Pauses, resumes and describes the queues this engine serves. */
public final class Queues {
  private final Engine engine;

  Queues(Engine engine) {
    this.engine = engine;
  }

  /** Stops claiming jobs from {@code queue} (running jobs finish); persisted in the store. */
  public void pause(String queue) {
    engine.setPaused(Objects.requireNonNull(queue, "queue"), true);
  }

  /** Claims from {@code queue} again. */
  public void resume(String queue) {
    engine.setPaused(Objects.requireNonNull(queue, "queue"), false);
  }

  /**
   * Every queue that holds jobs, across the cluster: jobs by state, the due time of its oldest
   * ready job (its lag), and how many finished since {@code finishedSince}.
   */
  public List<QueueStat> stats(Instant finishedSince) {
    return engine
        .store()
        .read(
            StoreOp.QUEUE,
            tx -> tx.queueStats(Objects.requireNonNull(finishedSince, "finishedSince")));
  }

  /** Every configured queue with its settings and current load on this node. */
  public List<QueueInfo> list() {
    return engine.queueLoads();
  }
}
