package io.taskmill.internal;

import io.taskmill.job.JobId;
import io.taskmill.job.JobState;
import io.taskmill.spi.CreatedJobs;
import io.taskmill.spi.FeedPage;
import io.taskmill.spi.FeedRow;
import io.taskmill.spi.NewJob;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A feed source for tests: rows become visible when the test commits them, in any seq order, and
 * every read is stamped with a clock the test moves.
 */
final class FakeFeed implements FeedSource {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private final TreeMap<Long, FeedRow> committed = new TreeMap<>();
  private Instant now = T0;
  private final AtomicInteger reads = new AtomicInteger();

  @Override
  public synchronized FeedPage read(long afterSeq, int limit) {
    reads.incrementAndGet();
    var rows = new ArrayList<FeedRow>();
    for (FeedRow r : committed.tailMap(afterSeq, false).values()) {
      if (rows.size() == limit) {
        break;
      }
      rows.add(r);
    }
    return new FeedPage(rows, now, committed.isEmpty() ? 0 : committed.lastKey());
  }

  synchronized void advance(Duration d) {
    now = now.plus(d);
  }

  synchronized Instant now() {
    return now;
  }

  int reads() {
    return reads.get();
  }

  /** Commits a transition row of job {@code job} with this seq. */
  synchronized FeedRow.Transition commit(long seq, JobId job, JobState from, JobState to) {
    var row =
        new FeedRow.Transition(
            seq, now, job, "test.noop", "default", from, to, "n1", 1, null, null);
    committed.put(seq, row);
    return row;
  }

  synchronized void commit(long seq) {
    commit(seq, new JobId(new UUID(0, seq)), JobState.ENQUEUED, JobState.RUNNING);
  }

  /** Commits a jobs.created row listing {@code ids}. */
  synchronized void commitCreated(long seq, JobId... ids) {
    var jobs = new ArrayList<NewJob>();
    for (JobId id : ids) {
      jobs.add(
          new NewJob(
              id,
              "test.noop",
              "default",
              JobState.ENQUEUED,
              0,
              T0,
              "{}",
              1,
              null,
              null,
              null,
              List.of(),
              null,
              T0,
              null));
    }
    committed.put(
        seq, new FeedRow.Outbox(seq, now, CreatedJobs.KIND, CreatedJobs.encode("n1", jobs)));
  }

  static JobId job(int n) {
    return new JobId(new UUID(1, n));
  }
}
