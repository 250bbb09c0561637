package io.taskmill.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskmill.JobId;
import io.taskmill.job.JobState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CreatedJobsTest {
  private static final Instant NOW = Instant.parse("2026-11-23T10:15:30.123456789Z");

  private static NewJob job(String type, JobState state, Instant runAt) {
    return new NewJob(JobId.newId(NOW.toEpochMilli()), type, "default", state, 0, runAt, "{}", 3,
        "{}", Duration.ofMinutes(1), null, List.of(), null, NOW, null);
  }

  @Test
  void eachJobKeepsItsOwnDueTimeWhenSomeShareOne() {
    var later = NOW.plusSeconds(90);
    var jobs = List.of(job("a", JobState.ENQUEUED, NOW), job("b", JobState.ENQUEUED, NOW),
        job("c", JobState.SCHEDULED, later), job("d", JobState.ENQUEUED, NOW));

    CreatedJobs read = CreatedJobs.decode(CreatedJobs.encode("node-1", jobs));

    assertThat(read.node()).isEqualTo("node-1");
    assertThat(read.jobs()).extracting(CreatedJobs.Created::type).containsExactly("a", "b", "c", "d");
    assertThat(read.jobs()).extracting(CreatedJobs.Created::id)
        .containsExactlyElementsOf(jobs.stream().map(NewJob::id).toList());
    assertThat(read.jobs()).extracting(CreatedJobs.Created::state).containsExactly(
        JobState.ENQUEUED, JobState.ENQUEUED, JobState.SCHEDULED, JobState.ENQUEUED);
    // Stored to the microsecond, as the job rows are.
    var micros = NOW.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    assertThat(read.jobs()).extracting(CreatedJobs.Created::runAt).containsExactly(
        micros, micros, later.truncatedTo(java.time.temporal.ChronoUnit.MICROS), micros);
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
