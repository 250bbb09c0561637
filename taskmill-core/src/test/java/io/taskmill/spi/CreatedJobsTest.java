package io.taskmill.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskmill.job.JobId;
import io.taskmill.job.JobState;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CreatedJobsTest {
  private static final Instant NOW = Instant.parse("2026-11-23T10:15:30.123456789Z");

  private static NewJob job(String type, JobState state, Instant runAt) {
    return new NewJob(
        JobId.newId(NOW.toEpochMilli()),
        type,
        "default",
        state,
        0,
        runAt,
        "{}",
        3,
        "{}",
        Duration.ofMinutes(1),
        null,
        List.of(),
        null,
        NOW,
        null);
  }

  @Test
  void eachJobKeepsItsOwnDueTimeWhenSomeShareOne() {
    var later = NOW.plusSeconds(90);
    var jobs =
        List.of(
            job("a", JobState.ENQUEUED, NOW),
            job("b", JobState.ENQUEUED, NOW),
            job("c", JobState.SCHEDULED, later),
            job("d", JobState.ENQUEUED, NOW));

    CreatedJobs read = CreatedJobs.decode(CreatedJobs.encode("node-1", jobs));

    assertThat(read.node()).isEqualTo("node-1");
    assertThat(read.jobs())
        .extracting(CreatedJobs.Created::type)
        .containsExactly("a", "b", "c", "d");
    assertThat(read.jobs())
        .extracting(CreatedJobs.Created::id)
        .containsExactlyElementsOf(jobs.stream().map(NewJob::id).toList());
    assertThat(read.jobs())
        .extracting(CreatedJobs.Created::state)
        .containsExactly(
            JobState.ENQUEUED, JobState.ENQUEUED, JobState.SCHEDULED, JobState.ENQUEUED);
    // Stored to the microsecond, as the job rows are.
    var micros = NOW.truncatedTo(ChronoUnit.MICROS);
    assertThat(read.jobs())
        .extracting(CreatedJobs.Created::runAt)
        .containsExactly(micros, micros, later.truncatedTo(ChronoUnit.MICROS), micros);
  }

  @Test
  void jobsOfOneKindInARowShareOneRunSoTheBodyIsAboutTheirIds() {
    var jobs = new ArrayList<NewJob>();
    for (int i = 0; i < CreatedJobs.MAX_JOBS; i++) {
      jobs.add(job("demo.noop", JobState.ENQUEUED, NOW));
    }

    String body = CreatedJobs.encode("node-1", jobs);

    assertThat(body).containsOnlyOnce("\"type\":\"demo.noop\"").containsOnlyOnce("\"runAt\"");
    // 36 characters of id, two quotes and a comma per job, and one run's fields
    assertThat(body.length()).isLessThan(CreatedJobs.MAX_JOBS * 40 + 200);
    assertThat(CreatedJobs.decode(body).jobs())
        .extracting(CreatedJobs.Created::id)
        .containsExactlyElementsOf(jobs.stream().map(NewJob::id).toList());
  }

  @Test
  void aBodyOfTheFirstFormatStillReads() {
    String body =
        "{\"node\":\"n1\",\"jobs\":[{\"id\":\"01a24d6b-a360-7003-8270-50f546eb2c62\","
            + "\"type\":\"a\",\"queue\":\"default\",\"state\":\"ENQUEUED\",\"runAt\":\"2026-11-23T10:15:30.123456Z\"},"
            + "{\"id\":\"01a24d6b-a360-7003-8270-50f546eb2c63\",\"type\":\"b\",\"queue\":\"media\","
            + "\"state\":\"SCHEDULED\",\"runAt\":\"2026-11-23T10:17:00Z\"}]}";

    CreatedJobs read = CreatedJobs.decode(body);

    assertThat(read.node()).isEqualTo("n1");
    assertThat(read.jobs())
        .containsExactly(
            new CreatedJobs.Created(
                new JobId(UUID.fromString("01a24d6b-a360-7003-8270-50f546eb2c62")),
                "a",
                "default",
                JobState.ENQUEUED,
                Instant.parse("2026-11-23T10:15:30.123456Z")),
            new CreatedJobs.Created(
                new JobId(UUID.fromString("01a24d6b-a360-7003-8270-50f546eb2c63")),
                "b",
                "media",
                JobState.SCHEDULED,
                Instant.parse("2026-11-23T10:17:00Z")));
  }

  @Test
  void moreJobsThanOneRowHoldsAreRefused() {
    var jobs = new ArrayList<NewJob>();
    for (int i = 0; i <= CreatedJobs.MAX_JOBS; i++) {
      jobs.add(job("a", JobState.ENQUEUED, NOW));
    }

    assertThatThrownBy(() -> CreatedJobs.encode("n", jobs))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("split them into rows of 1000");
  }
}
