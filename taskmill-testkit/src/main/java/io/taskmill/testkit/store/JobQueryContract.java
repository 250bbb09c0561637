package io.taskmill.testkit.store;

import static io.taskmill.job.JobState.DEAD;
import static io.taskmill.job.JobState.ENQUEUED;
import static io.taskmill.job.JobState.RUNNING;
import static io.taskmill.job.JobState.SCHEDULED;
import static io.taskmill.job.JobState.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.taskmill.internal.control.JobCommands;
import io.taskmill.internal.dispatch.Promotion;
import io.taskmill.internal.lease.Release;
import io.taskmill.internal.lease.Renewals;
import io.taskmill.job.ErrorSummary;
import io.taskmill.job.Job;
import io.taskmill.job.JobEvent;
import io.taskmill.job.JobId;
import io.taskmill.job.JobQuery;
import io.taskmill.job.JobTally;
import io.taskmill.job.Outcome;
import io.taskmill.spi.InsertedJob;
import io.taskmill.spi.LeaseRef;
import io.taskmill.spi.Ops.JobEvents;
import io.taskmill.spi.Ops.JobGetAll;
import io.taskmill.spi.Ops.JobLogs;
import io.taskmill.spi.StoreOp;
import io.taskmill.spi.StoreTx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reads: get, list with filters and cursor, counts, events and logs; and the version counter. */
public abstract class JobQueryContract extends StoreContractSupport {

  @Test
  void getsNothingForAnUnknownId() {
    JobId unknown = TestJobs.nextId(T0);

    assertThat(store.read(StoreOp.READ, (StoreTx tx) -> tx.first(new JobGetAll(List.of(unknown)))))
        .isEmpty();
    assertThat(store.read(StoreOp.READ, (StoreTx tx) -> tx.query(new JobEvents(unknown))))
        .isEmpty();
    assertThat(store.read(StoreOp.READ, (StoreTx tx) -> tx.query(new JobLogs(unknown)))).isEmpty();
  }

  @Test
  void listsNewestFirst() {
    InsertedJob first = insert(TestJobs.aJob().build());
    InsertedJob second = insert(TestJobs.aJob().createdAt(T0.plusSeconds(1)).build());
    InsertedJob third = insert(TestJobs.aJob().createdAt(T0.plusSeconds(2)).build());

    assertThat(ids(list(JobQuery.all(10)))).containsExactly(third.id(), second.id(), first.id());
    assertThat(ids(list(JobQuery.all(2)))).containsExactly(third.id(), second.id());
  }

  @Test
  void listsByStateTypeAndQueue() {
    InsertedJob mail = insert(TestJobs.aJob().type("mail.send").queue("mail").build());
    InsertedJob later =
        insert(TestJobs.aJob().type("mail.send").queue("mail").runAt(T0.plusSeconds(60)).build());
    InsertedJob report = insert(TestJobs.aJob().type("report.build").queue("mail").build());
    InsertedJob other = insert(TestJobs.aJob().type("mail.send").queue("bulk").build());

    assertThat(ids(list(JobQuery.all(10).withState(SCHEDULED)))).containsExactly(later.id());
    assertThat(ids(list(JobQuery.all(10).withType("mail.send"))))
        .containsExactly(other.id(), later.id(), mail.id());
    assertThat(ids(list(JobQuery.all(10).withQueue("mail"))))
        .containsExactly(report.id(), later.id(), mail.id());
    assertThat(
            ids(list(JobQuery.all(10).withState(ENQUEUED).withType("mail.send").withQueue("mail"))))
        .containsExactly(mail.id());
    assertThat(list(JobQuery.all(10).withState(DEAD))).isEmpty();
  }

  @Test
  void listsOnlyTheJobsOfAQueueScope() {
    InsertedJob mail = insert(TestJobs.aJob().type("mail.send").queue("mail").build());
    InsertedJob render = insert(TestJobs.aJob().type("mail.send").queue("render").build());
    insert(TestJobs.aJob().type("mail.send").queue("bulk").build());

    JobQuery scoped = JobQuery.all(10).withQueues(List.of("mail", "render"));
    assertThat(ids(list(scoped))).containsExactly(render.id(), mail.id());
    assertThat(ids(list(scoped.withQueue("mail")))).containsExactly(mail.id());
    assertThat(list(scoped.withQueue("bulk"))).as("a queue outside the scope").isEmpty();
    assertThat(list(JobQuery.all(10).withQueues(List.of()))).as("an empty scope").isEmpty();
    assertThat(ids(list(scoped.before(render.id())))).containsExactly(mail.id());
  }

  /** Tags that trip a substring search, a regex or the JSON text's quoting and separators. */
  private static final List<List<String>> AWKWARD_TAGS =
      List.of(
          List.of("a"),
          List.of("ab", "b"),
          List.of("a,", ",b"),
          List.of("x\",\"a", "\\"),
          List.of("a\\", "[a]"),
          List.of("a.c", "(a)|b", "^a$", "a*", "%", "_", "{1}", "\\d"),
          List.of("line\nbreak", "tab\there", "\u0001", "x\u2028y"),
          List.of("Zürich", "日本", "\"a\""),
          List.of("with space", "\\\"", "a\\,b", "<y>", "#-~`'!?@&=+;:/"));

  @Test
  void listsByTagMatchingWholeTagsOnly() {
    var inserted = new ArrayList<InsertedJob>();
    for (int i = 0; i < AWKWARD_TAGS.size(); i++) {
      inserted.add(
          insert(
              TestJobs.aJob()
                  .createdAt(T0.plusSeconds(i))
                  .tags(AWKWARD_TAGS.get(i).toArray(String[]::new))
                  .build()));
    }
    insert(TestJobs.aJob().createdAt(T0.plusSeconds(99)).build()); // no tags

    var probes = new ArrayList<String>();
    AWKWARD_TAGS.forEach(probes::addAll);
    probes.addAll(List.of("b,", ",", "\"", "x", "a\",\"b", "\"a", "A", "Zurich", "a\\,"));
    for (String tag : probes) {
      var expected = new ArrayList<JobId>();
      for (int i = AWKWARD_TAGS.size() - 1; i >= 0; i--) {
        if (AWKWARD_TAGS.get(i).contains(tag)) {
          expected.add(inserted.get(i).id());
        }
      }
      assertThat(ids(list(JobQuery.all(100).withTag(tag))))
          .as("jobs tagged '%s'", tag)
          .containsExactlyElementsOf(expected);
    }
  }

  @Test
  void combinesTheTagWithTheOtherFilters() {
    InsertedJob mail = insert(TestJobs.aJob().type("mail.send").tags("eu", "vip").build());
    insert(TestJobs.aJob().type("report.build").tags("eu").build());
    insert(TestJobs.aJob().type("mail.send").tags("us").build());
    InsertedJob later =
        insert(
            TestJobs.aJob()
                .type("mail.send")
                .tags("eu")
                .createdAt(T0.plusSeconds(1))
                .runAt(T0.plusSeconds(60))
                .build());

    assertThat(ids(list(JobQuery.all(10).withTag("eu").withType("mail.send"))))
        .containsExactly(later.id(), mail.id());
    assertThat(ids(list(JobQuery.all(10).withTag("eu").withState(SCHEDULED))))
        .containsExactly(later.id());
  }

  @Test
  void listsByCreationTimeFromInclusiveToExclusive() {
    var created = new ArrayList<JobId>();
    for (int i = 0; i < 4; i++) {
      created.add(insert(TestJobs.aJob().createdAt(T0.plusSeconds(i)).build()).id());
    }

    assertThat(ids(list(JobQuery.all(10).withCreated(T0.plusSeconds(1), T0.plusSeconds(3)))))
        .containsExactly(created.get(2), created.get(1));
    assertThat(ids(list(JobQuery.all(10).withCreated(T0.plusSeconds(2), null))))
        .containsExactly(created.get(3), created.get(2));
    assertThat(ids(list(JobQuery.all(10).withCreated(null, T0.plusSeconds(1)))))
        .containsExactly(created.get(0));
    assertThat(
            ids(
                list(
                    JobQuery.all(10)
                        .withCreated(T0.plusSeconds(1).plusNanos(1000), T0.plusSeconds(2)))))
        .as("microseconds count")
        .isEmpty();
  }

  @Test
  void pagesFilteredJobsWithTheBeforeCursor() {
    var tagged = new ArrayList<JobId>();
    for (int i = 0; i < 7; i++) {
      JobId id =
          insert(
                  TestJobs.aJob()
                      .createdAt(T0.plusSeconds(i))
                      .tags(i % 2 == 0 ? "even" : "odd")
                      .build())
              .id();
      if (i % 2 == 0) {
        tagged.add(id);
      }
    }
    JobQuery query = JobQuery.all(2).withTag("even").withCreated(T0, T0.plusSeconds(60));

    var seen = new ArrayList<JobId>();
    List<Job> page = list(query);
    while (!page.isEmpty()) {
      seen.addAll(ids(page));
      page = list(query.before(page.getLast().id()));
    }

    assertThat(seen).containsExactlyElementsOf(tagged.reversed());
  }

  @Test
  void pagesWithTheBeforeCursor() {
    var inserted = new ArrayList<JobId>();
    for (int i = 0; i < 7; i++) {
      inserted.add(insert(TestJobs.aJob().createdAt(T0.plusSeconds(i)).build()).id());
    }

    var seen = new ArrayList<JobId>();
    JobId cursor = null;
    List<Job> page;
    do {
      page = list(JobQuery.all(3).before(cursor));
      seen.addAll(ids(page));
      cursor = page.isEmpty() ? cursor : page.getLast().id();
    } while (!page.isEmpty());

    assertThat(seen).containsExactlyElementsOf(inserted.reversed());
  }

  @Test
  void talliesJobsByQueueTypeAndState() {
    insert(TestJobs.aJob().type("a").build());
    insert(TestJobs.aJob().type("a").build());
    insert(TestJobs.aJob().type("a").runAt(T0.plusSeconds(60)).build());
    insert(TestJobs.aJob().type("b").build());

    assertThat(store.read(StoreOp.READ, (StoreTx tx) -> tx.jobTallies(T0)))
        .extracting(JobTally::queue, JobTally::type, JobTally::state, JobTally::count)
        .containsExactlyInAnyOrder(
            tuple(QUEUE, "a", ENQUEUED, 2L),
            tuple(QUEUE, "a", SCHEDULED, 1L),
            tuple(QUEUE, "b", ENQUEUED, 1L));
  }

  @Test
  void countsNothingInAnEmptyStore() {
    assertThat(store.read(StoreOp.READ, (StoreTx tx) -> tx.jobTallies(T0))).isEmpty();
  }

  @Test
  void talliesJobsByQueueTypeAndStateWithThoseFinishedInEachRecentWindow() {
    Instant now = T0.plus(Duration.ofHours(3));
    // Finished 30 s, 3 min, 10 min and 2 h before now: in 4, 3, 2 and none of the windows.
    complete(running(), new Outcome.Succeeded(null), now.minusSeconds(30));
    complete(running(), new Outcome.Succeeded(null), now.minus(Duration.ofMinutes(3)));
    complete(
        running(),
        new Outcome.Dead(ErrorSummary.of("x.Y", "broke")),
        now.minus(Duration.ofMinutes(10)));
    complete(running(), new Outcome.Succeeded(null), now.minus(Duration.ofHours(2)));
    running();
    insert(TestJobs.aJob().type("b").queue("other").build());

    assertThat(store.read(StoreOp.READ, (StoreTx tx) -> tx.jobTallies(now)))
        .containsExactlyInAnyOrder(
            new JobTally(QUEUE, TYPE, SUCCEEDED, 3, List.of(1L, 2L, 2L, 2L)),
            new JobTally(QUEUE, TYPE, DEAD, 1, List.of(0L, 0L, 1L, 1L)),
            new JobTally(QUEUE, TYPE, RUNNING, 1, List.of(0L, 0L, 0L, 0L)),
            new JobTally("other", "b", ENQUEUED, 1, List.of(0L, 0L, 0L, 0L)));
  }

  @Test
  void listsEventsOldestFirstWithIncreasingSequence() {
    Job running = running();
    complete(
        running,
        new Outcome.Retrying(ErrorSummary.of("x.Y", "once"), T0.plusSeconds(5)),
        T0.plusSeconds(1));
    Promotion.due(store, T0.plusSeconds(5), 10, NODE);

    List<JobEvent> events = store.read(StoreOp.READ, tx -> tx.query(new JobEvents(running.id())));

    assertThat(events)
        .extracting(JobEvent::to)
        .containsExactly(ENQUEUED, RUNNING, SCHEDULED, ENQUEUED);
    assertThat(events).extracting(JobEvent::seq).isSorted().doesNotHaveDuplicates();
    assertThat(events).extracting(JobEvent::jobId).containsOnly(running.id());
  }

  @Test
  void everyChangeIncrementsTheVersionByOne() {
    InsertedJob inserted = insert(TestJobs.aJob().runAt(T0.plusSeconds(1)).build());
    long version = get(inserted.id()).version();

    Promotion.due(store, T0.plusSeconds(1), 10, NODE);
    assertThat(get(inserted.id()).version()).isEqualTo(++version);

    Job running = claimOne(NODE, T0.plusSeconds(1));
    assertThat(running.version()).isEqualTo(++version);

    var lease = new LeaseRef(running.id(), running.leaseEpoch());
    store.keepAlive(
        StoreOp.RENEW, tx -> Renewals.leases(tx, NODE, List.of(lease), T0.plusSeconds(60)));
    assertThat(get(inserted.id()).version()).isEqualTo(++version);

    JobCommands.cancel(store, inserted.id(), T0.plusSeconds(2), NODE, null);
    assertThat(get(inserted.id()).version()).isEqualTo(++version);

    Release.leases(store, NODE, List.of(lease), T0.plusSeconds(3), "shutdown");
    assertThat(get(inserted.id()).version()).isEqualTo(++version);

    Job again = claimOne(NODE, T0.plusSeconds(4));
    assertThat(again.version()).isEqualTo(++version);

    complete(again, new Outcome.Succeeded(null), T0.plusSeconds(5));
    assertThat(get(inserted.id()).version()).isEqualTo(++version);
    assertThat(get(inserted.id()).state()).isEqualTo(SUCCEEDED);

    JobCommands.cancel(store, inserted.id(), T0.plusSeconds(6), NODE, null); // finished: no change
    assertThat(get(inserted.id()).version()).isEqualTo(version);
  }

  @Test
  void getsTheExistingJobsAmongManyIdsAtOnce() {
    var a = insert(TestJobs.aJob().type(TYPE).createdAt(T0).build());
    var b = insert(TestJobs.aJob().type(TYPE).createdAt(T0).build());
    JobId unknown = TestJobs.nextId(T0);
    assertThat(
            store.read(
                StoreOp.READ,
                (StoreTx tx) -> tx.query(new JobGetAll(List.of(a.id(), unknown, b.id())))))
        .extracting(Job::id)
        .containsExactlyInAnyOrder(a.id(), b.id());
    assertThat(store.read(StoreOp.READ, (StoreTx tx) -> tx.query(new JobGetAll(List.of()))))
        .isEmpty();
  }

  private List<Job> list(JobQuery query) {
    return store.read(StoreOp.READ, tx -> tx.jobList(query));
  }
}
