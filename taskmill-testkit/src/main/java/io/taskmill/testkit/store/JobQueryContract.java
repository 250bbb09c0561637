package io.taskmill.testkit.store;

import static io.taskmill.job.JobState.DEAD;
import static io.taskmill.job.JobState.ENQUEUED;
import static io.taskmill.job.JobState.RUNNING;
import static io.taskmill.job.JobState.SCHEDULED;
import static io.taskmill.job.JobState.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;

import io.taskmill.JobId;
import io.taskmill.job.ErrorSummary;
import io.taskmill.job.Job;
import io.taskmill.job.JobEvent;
import io.taskmill.job.Outcome;
import io.taskmill.spi.InsertedJob;
import io.taskmill.spi.JobCount;
import io.taskmill.spi.JobQuery;
import io.taskmill.spi.LeaseRef;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reads: get, list with filters and cursor, counts, events and logs; and the version counter. */
public abstract class JobQueryContract extends StoreContractSupport {

  @Test
  void getsNothingForAnUnknownId() {
    JobId unknown = TestJobs.nextId(T0);

    assertThat(store.jobGet(unknown)).isEmpty();
    assertThat(store.jobEvents(unknown)).isEmpty();
    assertThat(store.jobLogs(unknown)).isEmpty();
  }

  @Test
  void listsNewestFirst() {
    InsertedJob first = insert(TestJobs.aJob().build());
    InsertedJob second = insert(TestJobs.aJob().createdAt(T0.plusSeconds(1)).build());
    InsertedJob third = insert(TestJobs.aJob().createdAt(T0.plusSeconds(2)).build());

    assertThat(ids(store.jobList(JobQuery.all(10))))
        .containsExactly(third.id(), second.id(), first.id());
    assertThat(ids(store.jobList(JobQuery.all(2)))).containsExactly(third.id(), second.id());
  }

  @Test
  void listsByStateTypeAndQueue() {
    InsertedJob mail = insert(TestJobs.aJob().type("mail.send").queue("mail").build());
    InsertedJob later = insert(TestJobs.aJob().type("mail.send").queue("mail")
        .runAt(T0.plusSeconds(60)).build());
    InsertedJob report = insert(TestJobs.aJob().type("report.build").queue("mail").build());
    InsertedJob other = insert(TestJobs.aJob().type("mail.send").queue("bulk").build());

    assertThat(ids(store.jobList(new JobQuery(SCHEDULED, null, null, null, 10))))
        .containsExactly(later.id());
    assertThat(ids(store.jobList(new JobQuery(null, "mail.send", null, null, 10))))
        .containsExactly(other.id(), later.id(), mail.id());
    assertThat(ids(store.jobList(new JobQuery(null, null, "mail", null, 10))))
        .containsExactly(report.id(), later.id(), mail.id());
    assertThat(ids(store.jobList(new JobQuery(ENQUEUED, "mail.send", "mail", null, 10))))
        .containsExactly(mail.id());
    assertThat(store.jobList(new JobQuery(DEAD, null, null, null, 10))).isEmpty();
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
      page = store.jobList(new JobQuery(null, null, null, cursor, 3));
      seen.addAll(ids(page));
      cursor = page.isEmpty() ? cursor : page.getLast().id();
    } while (!page.isEmpty());

    assertThat(seen).containsExactlyElementsOf(inserted.reversed());
  }

  @Test
  void countsJobsByTypeAndState() {
    insert(TestJobs.aJob().type("a").build());
    insert(TestJobs.aJob().type("a").build());
    insert(TestJobs.aJob().type("a").runAt(T0.plusSeconds(60)).build());
    insert(TestJobs.aJob().type("b").build());

    assertThat(store.jobCounts()).containsExactlyInAnyOrder(
        new JobCount("a", ENQUEUED, 2), new JobCount("a", SCHEDULED, 1),
        new JobCount("b", ENQUEUED, 1));
  }

  @Test
  void countsNothingInAnEmptyStore() {
    assertThat(store.jobCounts()).isEmpty();
  }

  @Test
  void listsEventsOldestFirstWithIncreasingSequence() {
    Job running = running();
    complete(running, new Outcome.Retrying(ErrorSummary.of("x.Y", "once"), T0.plusSeconds(5)),
        T0.plusSeconds(1));
    store.jobPromoteDue(T0.plusSeconds(5), 10, NODE);

    List<JobEvent> events = store.jobEvents(running.id());

    assertThat(events).extracting(JobEvent::to)
        .containsExactly(ENQUEUED, RUNNING, SCHEDULED, ENQUEUED);
    assertThat(events).extracting(JobEvent::seq).isSorted().doesNotHaveDuplicates();
    assertThat(events).extracting(JobEvent::jobId).containsOnly(running.id());
  }

  @Test
  void everyChangeIncrementsTheVersionByOne() {
    InsertedJob inserted = insert(TestJobs.aJob().runAt(T0.plusSeconds(1)).build());
    long version = get(inserted.id()).version();

    store.jobPromoteDue(T0.plusSeconds(1), 10, NODE);
    assertThat(get(inserted.id()).version()).isEqualTo(++version);

    Job running = claimOne(NODE, T0.plusSeconds(1));
    assertThat(running.version()).isEqualTo(++version);

    var lease = new LeaseRef(running.id(), running.leaseEpoch());
    store.jobRenewLeases(NODE, List.of(lease), T0.plusSeconds(60));
    assertThat(get(inserted.id()).version()).isEqualTo(++version);

    store.jobCancel(inserted.id(), T0.plusSeconds(2), NODE, null);
    assertThat(get(inserted.id()).version()).isEqualTo(++version);

    store.jobRelease(NODE, List.of(lease), T0.plusSeconds(3), "shutdown");
    assertThat(get(inserted.id()).version()).isEqualTo(++version);

    Job again = claimOne(NODE, T0.plusSeconds(4));
    assertThat(again.version()).isEqualTo(++version);

    complete(again, new Outcome.Succeeded(null), T0.plusSeconds(5));
    assertThat(get(inserted.id()).version()).isEqualTo(++version);
    assertThat(get(inserted.id()).state()).isEqualTo(SUCCEEDED);

    store.jobCancel(inserted.id(), T0.plusSeconds(6), NODE, null); // finished: no change
    assertThat(get(inserted.id()).version()).isEqualTo(version);
  }
}
