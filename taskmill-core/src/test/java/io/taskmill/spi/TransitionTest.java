package io.taskmill.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskmill.job.JobId;
import io.taskmill.job.JobState;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TransitionTest {
  private static final JobId ID = JobId.parse("01890a5d-ac96-774b-bcce-b302099a8057");
  private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void aMoveTheStateMachineForbidsCannotBeRecorded() {
    assertThatThrownBy(
            () -> new Transition(ID, AT, JobState.SUCCEEDED, JobState.ENQUEUED, "n", 1, null, null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("a job cannot move from SUCCEEDED to ENQUEUED");
    assertThatThrownBy(
            () -> new Transition(ID, AT, JobState.SCHEDULED, JobState.RUNNING, "n", 0, null, null))
        .hasMessage("a job cannot move from SCHEDULED to RUNNING");
  }

  @Test
  void allowedMovesCreationsAndNotesAreRecorded() {
    assertThat(
            new Transition(ID, AT, JobState.RUNNING, JobState.ENQUEUED, "n", 1, null, "rescued")
                .to())
        .isEqualTo(JobState.ENQUEUED);
    assertThat(new Transition(ID, AT, null, JobState.SCHEDULED, "n", 0, null, null).from())
        .isNull();
    // A cancel request on a running job is a note: no state changes.
    assertThat(
            new Transition(ID, AT, JobState.RUNNING, JobState.RUNNING, "n", 1, null, "cancel").to())
        .isEqualTo(JobState.RUNNING);
  }
}
