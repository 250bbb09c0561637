package io.taskmill;

import java.util.List;

/** Pauses, resumes and describes the queues this engine serves. */
public interface Queues {
  /** Stops claiming jobs from {@code queue} (running jobs finish); persisted in the store. */
  void pause(String queue);

  /** Claims from {@code queue} again. */
  void resume(String queue);

  /**
   * Every queue that holds jobs, across the cluster: jobs by state, the due time of its oldest
   * ready job (its lag), and how many finished since {@code finishedSince}.
   */
  List<io.taskmill.spi.QueueStat> stats(java.time.Instant finishedSince);

  /** Every configured queue with its settings and current load on this node. */
  List<QueueInfo> list();

  /**
   * One queue as this node sees it.
   *
   * @param concurrency most jobs of this queue running at once on this node
   * @param running jobs of this queue running now on this node
   */
  record QueueInfo(String name, int concurrency, boolean paused, int running) {}
}
