package io.taskmill.spi;

/**
 * What a store transaction is for, named by what the engine does with it: one per store method or
 * small family of read methods, and one per {@link Store#inTransaction} duty. It names the
 * transaction in errors and logs, and it is what a fault injector disturbs, so a new table
 * operation needs no change there.
 */
public enum StoreOp {
  /** Enqueue ({@code ReadyWrites.insert}). */
  INSERT,
  /** Scheduled jobs become ready ({@code Promotion}). */
  PROMOTE,
  /** {@code JobNextScheduledAt}: the dispatcher's next wake-up. */
  NEXT_SCHEDULED,
  /** A claim of ready jobs ({@code Claim}). */
  CLAIM,
  /** Attempt outcomes ({@code Completion}). */
  COMPLETE,
  /** The lease heartbeat ({@code Renewals.leases}). */
  RENEW,
  /** Leases given back at shutdown ({@code Release}). */
  RELEASE,
  /** Rescue of expired and foreign leases ({@code Rescue}). */
  RESCUE,
  /** A user's cancel ({@code JobCommands.cancel}). */
  CANCEL,
  /**
   * A caller reading jobs: {@code JobGetAll}, {@code JobEvents}, {@code JobLogs}, {@code jobList},
   * {@code jobTallies}.
   */
  READ,
  /** {@code QueueSetPaused} and {@code QueuePausedNames}. */
  QUEUE,
  /** Retention of finished jobs, outbox rows and audit entries ({@code Retention}). */
  PRUNE,
  /** {@code nodeHeartbeat} and {@code storeTime}: a node proving itself alive. */
  HEARTBEAT,
  /** {@code NodeLeave}, {@code NodeList}, declaring nodes dead and pruning departed ones. */
  NODE,
  /** {@code leaderTry}, {@code LeaderResign} and {@code LeaderGet}. */
  LEADER,
  /** {@code lockAcquire}, {@code LockRenew} and {@code LockRelease}. */
  LOCK,
  /**
   * Every schedule operation: definitions, the leader's firing, manual triggers, history and its
   * pruning.
   */
  SCHEDULE,
  /** Every API key operation: a server authenticating requests and managing keys. */
  API_KEY,
  /** {@code auditAppendAll} and {@code auditList}: the audit trail. */
  AUDIT,
  /** A user's manual retry ({@code JobCommands.retry}). */
  RETRY,
  /** {@code eventFeed}: the event feed's reads. */
  FEED,
  /** Workflow definitions: registration and reads. */
  WORKFLOW
  // New operations go last, so seeded fault sequences of the others keep their ordinals.
}
