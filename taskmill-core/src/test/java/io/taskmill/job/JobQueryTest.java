package io.taskmill.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobQueryTest {
  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void buildsAQueryFilterByFilter() {
    JobId cursor = JobId.newId(T.toEpochMilli());

    JobQuery q =
        JobQuery.all(50)
            .withState(JobState.DEAD)
            .withType("mail.send")
            .withQueue("mail")
            .withTag("eu")
            .withCreated(T, T.plusSeconds(60))
            .before(cursor);

    assertThat(q)
        .isEqualTo(
            new JobQuery(
                JobState.DEAD, "mail.send", "mail", "eu", T, T.plusSeconds(60), cursor, 50));
  }

  @Test
  void carriesAQueueScopeThroughEveryFilterAndPage() {
    JobId cursor = JobId.newId(T.toEpochMilli());

    JobQuery q =
        JobQuery.all(10)
            .withQueues(List.of("mail", "render"))
            .withState(JobState.DEAD)
            .withQueue("mail")
            .withTag("eu")
            .before(cursor);

    assertThat(q.queues()).containsExactlyInAnyOrder("mail", "render");
    assertThat(JobQuery.all(10).queues()).isNull();
  }

  @Test
  void rejectsAnEmptyOrBackwardCreationRange() {
    assertThatThrownBy(() -> JobQuery.all(10).withCreated(T, T))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("createdFrom")
        .hasMessageContaining("[from, to)");
    assertThatThrownBy(() -> JobQuery.all(10).withCreated(T.plusSeconds(1), T))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(JobQuery.all(10).withCreated(T, null).createdFrom()).isEqualTo(T);
  }

  @Test
  void rejectsABlankTagAndALimitOutOfRange() {
    assertThatThrownBy(() -> JobQuery.all(10).withTag(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pass null");
    assertThatThrownBy(() -> JobQuery.all(0)).hasMessageContaining("between 1 and 1000");
    assertThatThrownBy(() -> JobQuery.all(1001)).hasMessageContaining("between 1 and 1000");
  }
}
