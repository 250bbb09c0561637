package io.taskmill.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskmill.Taskmill;
import io.taskmill.engine.Payloads.Step;
import io.taskmill.job.JobId;
import io.taskmill.job.JobLogLine;
import io.taskmill.job.JobOptions;
import io.taskmill.job.JobState;
import io.taskmill.job.LogLevel;
import io.taskmill.job.Retry;
import io.taskmill.testkit.ManualEngine;
import org.junit.jupiter.api.Test;

/** Handler log lines are stored with the job, bounded, filtered by level, kept on failure. */
class JobLogTest {
  @Test
  void linesAreStoredBoundedAndFilteredAndKeptWhenTheJobFails() {
    try (var engine =
        ManualEngine.start(
            Taskmill.builder()
                .inMemory()
                .maxLogLinesPerJob(5)
                .jobLogLevel(LogLevel.INFO)
                .handler(
                    "test.chatty",
                    Step.class,
                    (p, ctx) -> {
                      ctx.log().debug("not stored");
                      for (int i = 0; i < 10; i++) {
                        ctx.log().info("line {} of {}", i, p.name());
                      }
                      ctx.log().error("about to fail", new IllegalStateException("cause"));
                      throw new IllegalStateException("failed");
                    }))) {
      JobId id =
          engine.enqueue("test.chatty", new Step("a"), JobOptions.defaults().retry(Retry.none()));
      engine.runDueJobs();
      assertThat(engine.taskmill().jobs().get(id).orElseThrow().state()).isEqualTo(JobState.DEAD);
      var logs = engine.taskmill().jobs().logs(id);
      assertThat(logs)
          .extracting(JobLogLine::message)
          .startsWith("line 0 of a", "line 1 of a")
          .doesNotContain("not stored");
      assertThat(logs).hasSizeLessThanOrEqualTo(6); // the limit plus one "dropped" marker
      assertThat(logs.get(logs.size() - 1).message()).contains("dropped");
      assertThat(logs).allSatisfy(l -> assertThat(l.attempt()).isEqualTo(1));
    }
  }
}
