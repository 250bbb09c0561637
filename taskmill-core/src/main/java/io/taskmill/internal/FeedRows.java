package io.taskmill.internal;

import io.taskmill.event.EventKind;
import io.taskmill.event.FeedEvent;
import io.taskmill.spi.CreatedJobs;
import io.taskmill.spi.FeedRow;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Turns stored feed rows into the public events: one per transition, one per created job. */
final class FeedRows {
  private FeedRows() {}

  /**
   * The events of one row, none marked last; an outbox kind this version does not know gives none.
   */
  static List<FeedEvent> events(FeedRow row) {
    return switch (row) {
      case FeedRow.Transition t ->
          List.of(
              new FeedEvent(
                  t.seq(),
                  false,
                  t.at(),
                  EventKind.ofTransition(t.from(), t.to(), t.message()),
                  t.jobId(),
                  t.type(),
                  t.queue(),
                  t.from(),
                  t.to(),
                  t.node(),
                  t.attempt(),
                  t.error(),
                  t.message(),
                  null));
      case FeedRow.Outbox o when CreatedJobs.KIND.equals(o.kind()) -> {
        CreatedJobs created = CreatedJobs.decode(o.body());
        var events = new ArrayList<FeedEvent>(created.jobs().size());
        for (CreatedJobs.Created j : created.jobs()) {
          events.add(
              new FeedEvent(
                  o.seq(),
                  false,
                  o.at(),
                  EventKind.JOB_CREATED,
                  j.id(),
                  j.type(),
                  j.queue(),
                  null,
                  j.state(),
                  created.node(),
                  0,
                  null,
                  null,
                  j.runAt()));
        }
        yield events;
      }
      case FeedRow.Outbox o -> List.of();
    };
  }

  /** The events {@code filter} passes, the last of them marked {@link FeedEvent#lastInSeq()}. */
  static List<FeedEvent> forSubscriber(List<FeedEvent> events, Predicate<FeedEvent> filter) {
    var passed = new ArrayList<FeedEvent>(events.size());
    for (FeedEvent e : events) {
      if (filter.test(e)) {
        passed.add(e);
      }
    }
    if (!passed.isEmpty()) {
      passed.set(passed.size() - 1, passed.getLast().withLastInSeq(true));
    }
    return passed;
  }
}
