package io.taskmill.internal.lease;

import io.taskmill.job.JobId;
import java.util.Set;

/**
 * What a lease renewal found.
 *
 * @param held leases still held and now extended; any other lease asked about was lost
 * @param cancelRequested held jobs a user asked to cancel
 */
public record LeaseRenewal(Set<JobId> held, Set<JobId> cancelRequested) {
  public LeaseRenewal {
    held = Set.copyOf(held);
    cancelRequested = Set.copyOf(cancelRequested);
  }
}
