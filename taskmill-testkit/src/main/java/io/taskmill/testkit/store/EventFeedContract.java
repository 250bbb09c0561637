package io.taskmill.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskmill.internal.dispatch.ReadyWrites;
import io.taskmill.internal.leader.Retention;
import io.taskmill.job.Job;
import io.taskmill.job.JobState;
import io.taskmill.job.Outcome;
import io.taskmill.spi.CreatedJobs;
import io.taskmill.spi.FeedPage;
import io.taskmill.spi.FeedRow;
import io.taskmill.spi.LeaderTerm;
import io.taskmill.spi.NewJob;
import io.taskmill.spi.Retained;
import io.taskmill.spi.StoreOp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The event feed: job transitions and outbox rows (one per insert batch) numbered by one sequence,
 * read in seq order by primary-key range after a cursor, cut at a limit; and the outbox's pruning.
 *
 * <p>What seqs in flight look like (a lower seq committing after a higher one) needs a second
 * connection and is tested per store: {@link #holdSeqOpen()}.
 */
public abstract class EventFeedContract extends StoreContractSupport {

  /**
   * Opens a transaction of its own on the store's database that takes a feed seq (writes a feed
   * row) and stays open until the handle commits or rolls it back.
   */
  protected abstract OpenSeq holdSeqOpen() throws Exception;

  /** A transaction holding a feed seq, still open. */
  public interface OpenSeq extends AutoCloseable {
    void commit() throws Exception;

    void rollback() throws Exception;

    @Override
    default void close() throws Exception {
      rollback();
    }
  }

  private List<FeedRow> all() {
    return store.read(StoreOp.FEED, tx -> tx.eventFeed(0, 10_000)).rows();
  }

  private static List<Long> seqs(List<FeedRow> rows) {
    return rows.stream().map(FeedRow::seq).toList();
  }

  @Test
  void anEmptyStoreHasAnEmptyFeed() {
    FeedPage page = store.read(StoreOp.FEED, tx -> tx.eventFeed(0, 100));

    assertThat(page.rows()).isEmpty();
    assertThat(page.headSeq()).isZero();
    assertThat(page.readAt()).isNotNull();
  }

  @Test
  void anInsertBatchIsOneOutboxRowListingItsJobs() {
    NewJob a = TestJobs.aJob().type(TYPE).queue(QUEUE).runAt(T0).createdAt(T0).build();
    NewJob b =
        TestJobs.aJob()
            .type("test.other")
            .queue("media")
            .runAt(T0.plusSeconds(60))
            .state(JobState.SCHEDULED)
            .createdAt(T0)
            .build();

    insertAll(a, b);

    List<FeedRow> rows = all();
    assertThat(rows).hasSize(1);
    var row = (FeedRow.Outbox) rows.getFirst();
    assertThat(row.kind()).isEqualTo(CreatedJobs.KIND);
    assertThat(row.at()).isEqualTo(T0);
    CreatedJobs created = CreatedJobs.decode(row.body());
    assertThat(created.node()).isEqualTo(NODE);
    assertThat(created.jobs())
        .containsExactly(
            new CreatedJobs.Created(a.id(), TYPE, QUEUE, JobState.ENQUEUED, T0),
            new CreatedJobs.Created(
                b.id(), "test.other", "media", JobState.SCHEDULED, T0.plusSeconds(60)));
  }

  @Test
  void aDuplicateKeyIsNotRecordedAsCreated() {
    NewJob first = TestJobs.aJob().type(TYPE).idempotencyKey("k").createdAt(T0).build();
    insert(first);
    insert(TestJobs.aJob().type(TYPE).idempotencyKey("k").createdAt(T0).build());

    List<FeedRow> rows = all();
    assertThat(rows).hasSize(1);
    assertThat(CreatedJobs.decode(((FeedRow.Outbox) rows.getFirst()).body()).jobs())
        .extracting(CreatedJobs.Created::id)
        .containsExactly(first.id());
  }

  @Test
  void transitionsAndCreationsShareOneOrderWithTheirJobsTypeAndQueue() {
    Job running = running();
    complete(running, new Outcome.Succeeded(null), T0.plusSeconds(1));
    insert(TestJobs.aJob().type(TYPE).queue(QUEUE).createdAt(T0.plusSeconds(2)).build());

    List<FeedRow> rows = all();
    assertThat(seqs(rows)).isSorted().doesNotHaveDuplicates();
    assertThat(rows)
        .extracting(r -> r.getClass().getSimpleName())
        .containsExactly("Outbox", "Transition", "Transition", "Outbox");
    var claimed = (FeedRow.Transition) rows.get(1);
    assertThat(claimed.jobId()).isEqualTo(running.id());
    assertThat(claimed.type()).isEqualTo(TYPE);
    assertThat(claimed.queue()).isEqualTo(QUEUE);
    assertThat(claimed.from()).isEqualTo(JobState.ENQUEUED);
    assertThat(claimed.to()).isEqualTo(JobState.RUNNING);
    assertThat(claimed.node()).isEqualTo(NODE);
    assertThat(claimed.attempt()).isEqualTo(1);
    var succeeded = (FeedRow.Transition) rows.get(2);
    assertThat(succeeded.to()).isEqualTo(JobState.SUCCEEDED);
    assertThat(succeeded.at()).isEqualTo(T0.plusSeconds(1));
    assertThat(store.read(StoreOp.FEED, tx -> tx.eventFeed(0, 0)).headSeq())
        .isEqualTo(rows.getLast().seq());
  }

  @Test
  void readsAfterTheCursorUpToTheLimit() {
    for (int i = 0; i < 5; i++) {
      Job r = running();
      complete(r, new Outcome.Succeeded(null), T0);
    }
    List<Long> seqs = seqs(all());
    assertThat(seqs).hasSize(15);

    assertThat(seqs(store.read(StoreOp.FEED, tx -> tx.eventFeed(0, 4)).rows()))
        .isEqualTo(seqs.subList(0, 4));
    assertThat(seqs(store.read(StoreOp.FEED, tx -> tx.eventFeed(seqs.get(3), 4)).rows()))
        .isEqualTo(seqs.subList(4, 8));
    assertThat(seqs(store.read(StoreOp.FEED, tx -> tx.eventFeed(seqs.get(12), 100)).rows()))
        .isEqualTo(seqs.subList(13, 15));
    assertThat(store.read(StoreOp.FEED, tx -> tx.eventFeed(seqs.getLast(), 100)).rows()).isEmpty();
    // Between two rows, as a resume from a seq someone else took reads.
    assertThat(seqs(store.read(StoreOp.FEED, tx -> tx.eventFeed(seqs.get(6) - 1, 1)).rows()))
        .containsExactly(seqs.get(6));
  }

  @Test
  void aLargeInsertIsSplitIntoRowsOfBoundedSize() {
    var jobs = new ArrayList<NewJob>();
    for (int i = 0; i < CreatedJobs.MAX_JOBS + 1; i++) {
      jobs.add(TestJobs.aJob().type(TYPE).createdAt(T0).build());
    }
    ReadyWrites.insert(store, jobs, NODE);

    List<FeedRow> rows = all();
    assertThat(rows).hasSize(2);
    assertThat(rows)
        .extracting(r -> CreatedJobs.decode(((FeedRow.Outbox) r).body()).jobs().size())
        .containsExactly(CreatedJobs.MAX_JOBS, 1);
  }

  @Test
  void rejectsANegativeCursorOrLimit() {
    assertThatThrownBy(() -> store.read(StoreOp.FEED, tx -> tx.eventFeed(-1, 10)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.read(StoreOp.FEED, tx -> tx.eventFeed(0, -1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aSeqInFlightIsInvisibleUntilItsTransactionCommits() throws Exception {
    try (OpenSeq open = holdSeqOpen()) {
      insert(TestJobs.aJob().type(TYPE).createdAt(T0).build());
      List<FeedRow> before = all();
      assertThat(before).hasSize(1);

      open.commit();

      List<FeedRow> after = all();
      assertThat(after).hasSize(2);
      // The held seq was taken first, so it sorts first though it committed last.
      assertThat(after.get(0).seq()).isLessThan(before.getFirst().seq());
      assertThat(after.get(1).seq()).isEqualTo(before.getFirst().seq());
    }
  }

  @Test
  void aRolledBackSeqNeverAppears() throws Exception {
    try (OpenSeq open = holdSeqOpen()) {
      insert(TestJobs.aJob().type(TYPE).createdAt(T0).build());
      open.rollback();
    }
    insert(TestJobs.aJob().type(TYPE).createdAt(T0).build());

    List<Long> seqs = seqs(all());
    assertThat(seqs).hasSize(2);
    // A fresh store's sequence starts at 1, which the rolled-back transaction took.
    assertThat(seqs.getFirst()).as("the first seq that committed").isGreaterThan(1);
    assertThat(seqs.get(1)).isGreaterThan(seqs.get(0));
  }

  @Test
  void outboxPruneDeletesOldRowsFencedByTheTerm() {
    insert(TestJobs.aJob().type(TYPE).createdAt(T0).build());
    insert(TestJobs.aJob().type(TYPE).createdAt(T0.plus(Duration.ofDays(2))).build());
    LeaderTerm leader = lead(NODE, T0);

    assertThat(
            Retention.rows(
                store,
                new LeaderTerm(NODE, leader.term() + 1),
                T0,
                Retained.OUTBOX,
                T0.plusSeconds(1),
                100))
        .as("stale term")
        .isZero();
    assertThat(Retention.rows(store, leader, T0, Retained.OUTBOX, T0.plusSeconds(1), 100))
        .isEqualTo(1);

    List<FeedRow> rows = all();
    assertThat(rows).hasSize(1);
    assertThat(rows.getFirst().at()).isEqualTo(T0.plus(Duration.ofDays(2)));
  }

  @Test
  void outboxPruneIsBounded() {
    for (int i = 0; i < 5; i++) {
      insert(TestJobs.aJob().type(TYPE).createdAt(T0).build());
    }
    LeaderTerm leader = lead(NODE, T0);

    assertThat(Retention.rows(store, leader, T0, Retained.OUTBOX, T0.plusSeconds(1), 2))
        .isEqualTo(2);
    assertThat(Retention.rows(store, leader, T0, Retained.OUTBOX, T0.plusSeconds(1), 10))
        .isEqualTo(3);
    assertThat(all()).isEmpty();
  }
}
