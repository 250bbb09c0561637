package io.taskmill.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskmill.job.JobId;
import io.taskmill.job.JobState;
import io.taskmill.spi.NewJob;
import org.junit.jupiter.api.Test;

class TestJobsTest {

  @Test
  void buildsADueJobWithDefaults() {
    NewJob job = TestJobs.aJob().build();

    assertThat(job.state()).isEqualTo(JobState.ENQUEUED);
    assertThat(job.runAt()).isEqualTo(TestJobs.T0);
    assertThat(job.createdAt()).isEqualTo(TestJobs.T0);
    assertThat(job.type()).isEqualTo("test.noop");
    assertThat(job.queue()).isEqualTo("default");
    assertThat(job.idempotencyKey()).isNull();
    assertThat(job.maxAttempts()).isPositive();
  }

  @Test
  void aJobDueLaterIsScheduledUnlessToldOtherwise() {
    assertThat(TestJobs.aJob().runAt(TestJobs.T0.plusSeconds(1)).build().state())
        .isEqualTo(JobState.SCHEDULED);
    assertThat(
            TestJobs.aJob()
                .runAt(TestJobs.T0.plusSeconds(1))
                .state(JobState.ENQUEUED)
                .build()
                .state())
        .isEqualTo(JobState.ENQUEUED);
  }

  @Test
  void idsAreVersion7AndIncreaseInBuildOrder() {
    JobId first = TestJobs.aJob().build().id();
    JobId second = TestJobs.aJob().build().id();
    JobId later = TestJobs.aJob().createdAt(TestJobs.T0.minusSeconds(1)).build().id();

    assertThat(first.value().version()).isEqualTo(7);
    assertThat(first.value().variant()).isEqualTo(2);
    assertThat(second).isGreaterThan(first);
    assertThat(later).isLessThan(first); // ids follow createdAt first
  }
}
