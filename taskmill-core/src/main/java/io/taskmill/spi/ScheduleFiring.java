package io.taskmill.spi;

import java.time.Instant;
import java.util.List;

/**
 * What the leader decided for one due schedule: the ticks it handles, in order, and the schedule's
 * next tick after them. Written in one transaction, or not at all.
 *
 * @param expectedVersion the schedule's version the decision was made on; a schedule changed since
 *     (updated, paused, deleted, fired by someone else) is left alone
 * @param nextFireAt the earliest tick not handled by this firing
 */
public record ScheduleFiring(
    String schedule, long expectedVersion, List<ScheduleTick> ticks, Instant nextFireAt) {

  public ScheduleFiring {
    ticks = List.copyOf(ticks);
  }
}
