package io.taskmill.node;

/** Whether a node is taking part in the cluster, as recorded in its node row. */
public enum NodeState {
  /** Heart-beating within its deadline. */
  ALIVE,
  /** Missed its heartbeat deadline; the leader took back its running jobs. */
  DEAD,
  /** Closed gracefully, releasing its jobs. */
  LEFT
}
