package io.taskmill.engine;

import static org.awaitility.Awaitility.await;

import io.taskmill.Taskmill;
import io.taskmill.job.Job;
import io.taskmill.job.JobId;
import io.taskmill.job.JobState;
import java.time.Duration;

/** Polling with a deadline for the engine tests; never a sleep. */
final class Await {
  private Await() {}

  static Job state(Taskmill tm, JobId id, JobState state) {
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(10))
        .until(() -> tm.jobs().get(id).map(Job::state).orElse(null) == state);
    return tm.jobs().get(id).orElseThrow();
  }

  static void allTerminal(Taskmill tm, Iterable<JobId> ids) {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () -> {
              for (JobId id : ids) {
                if (!tm.jobs().get(id).orElseThrow().state().isTerminal()) {
                  return false;
                }
              }
              return true;
            });
  }
}
