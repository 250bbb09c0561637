package io.taskmill;

/**
 * A Taskmill with no background threads, whose duties its caller runs one pass at a time: the
 * supported seam for tests that drive time with a fake clock ({@link TaskmillBuilder#clock}), as
 * {@code taskmill-testkit}'s {@code ManualEngine} does. Handlers still run on their own virtual
 * threads, and per-attempt timeouts are real time.
 */
public interface DrivenTaskmill extends Taskmill {

  /**
   * Runs every job due now, including retries that become due without the clock moving, and waits
   * for each attempt's outcome to be stored. Returns the number of attempts run.
   */
  int runDueJobs();

  /**
   * Takes or renews leadership, then runs the leader's duties once (declaring silent nodes dead,
   * rescuing expired leases, pruning); returns how many jobs were rescued.
   */
  int runRescuer();

  /**
   * Fires every schedule due by the engine's clock if this node leads, taking the lead if it is
   * free; returns how many jobs the ticks created.
   */
  int runSchedules();

  /**
   * Runs one heartbeat (node row, clock, lease renewal, leadership); returns whether it reached the
   * store.
   */
  boolean heartbeat();

  /** Renews the leases of jobs running on this engine. */
  void renewLeases();
}
