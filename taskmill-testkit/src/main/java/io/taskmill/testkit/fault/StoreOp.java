package io.taskmill.testkit.fault;

/**
 * The {@link io.taskmill.spi.Store} operations a {@link FaultInjectingStore} can disturb, one per
 * store method or small family of read methods, named by what the engine does with them.
 */
public enum StoreOp {
  /** {@code jobInsertMany}: enqueue. */
  INSERT,
  /** {@code jobPromoteDue}: scheduled jobs become ready. */
  PROMOTE,
  /** {@code jobNextScheduledAt}: the dispatcher's next wake-up. */
  NEXT_SCHEDULED,
  /** {@code jobClaim}. */
  CLAIM,
  /** {@code jobCompleteMany}: attempt outcomes. */
  COMPLETE,
  /** {@code jobRenewLeases}: the lease heartbeat. */
  RENEW,
  /** {@code jobRelease}: leases given back at shutdown. */
  RELEASE,
  /** {@code jobRescueExpired} and {@code jobRescueForeign}. */
  RESCUE,
  /** {@code jobCancel}. */
  CANCEL,
  /** {@code jobGet}, {@code jobEvents}, {@code jobLogs}, {@code jobList}, {@code jobCounts}, {@code jobTallies}. */
  READ,
  /** {@code queueSetPaused} and {@code queuePausedNames}. */
  QUEUE,
  /** {@code jobPrune}, {@code outboxPrune} and {@code auditPrune}: retention. */
  PRUNE,
  /** {@code nodeHeartbeat} and {@code storeTime}: a node proving itself alive. */
  HEARTBEAT,
  /** {@code nodeLeave}, {@code nodeMarkDead}, {@code nodePrune} and {@code nodeList}. */
  NODE,
  /** {@code leaderTry}, {@code leaderResign} and {@code leaderGet}. */
  LEADER,
  /** {@code lockAcquire}, {@code lockRenew} and {@code lockRelease}. */
  LOCK,
  /**
   * Every {@code schedule…} method: definitions, the leader's firing, manual triggers, history
   * and its pruning.
   */
  SCHEDULE,
  /** Every {@code apiKey…} method: a server authenticating requests and managing keys. */
  API_KEY,
  /** {@code auditAppend} and {@code auditList}: the audit trail. */
  AUDIT,
  /** {@code jobRetry}: a user's manual retry. */
  RETRY,
  /** {@code eventFeed}: the event feed's reads. */
  FEED
  // New operations go last, so seeded fault sequences of the others keep their ordinals.
}
