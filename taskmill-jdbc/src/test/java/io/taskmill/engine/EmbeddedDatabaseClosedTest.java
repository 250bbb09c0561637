package io.taskmill.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskmill.Taskmill;
import io.taskmill.engine.Payloads.Step;
import io.taskmill.job.Job;
import io.taskmill.job.JobId;
import io.taskmill.job.JobState;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * H2 closes an embedded database when its MVStore meets an internal error, under the running engine
 * and with jobs in flight: the engine carries on once its store reopened the file, and no accepted
 * job is lost.
 */
class EmbeddedDatabaseClosedTest {
  private static final String TYPE = "test.step";

  @TempDir Path dir;
  private final Set<String> ran = ConcurrentHashMap.newKeySet();
  private final CountDownLatch closed = new CountDownLatch(1);
  private final CountDownLatch running = new CountDownLatch(4);

  @Test
  void theEngineCarriesOnAfterItsDatabaseClosedUnderIt() throws Exception {
    try (Taskmill tm =
        Taskmill.builder()
            .dataDir(dir)
            .queue("default", q -> q.concurrency(4))
            .handler(
                TYPE,
                Step.class,
                (p, ctx) -> {
                  if (p.name().startsWith("in-flight")) {
                    running.countDown();
                    closed.await(30, TimeUnit.SECONDS);
                  }
                  ran.add(p.name());
                })
            .start()) {
      List<JobId> accepted = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        accepted.add(tm.enqueue(TYPE, new Step("in-flight-" + i)));
      }
      for (int i = 0; i < 20; i++) {
        accepted.add(tm.enqueue(TYPE, new Step("waiting-" + i)));
      }
      assertThat(running.await(20, TimeUnit.SECONDS)).as("4 jobs running").isTrue();

      closeTheDatabaseAtOnce();
      closed.countDown();
      for (int i = 0; i < 20; i++) {
        String name = "after-" + i;
        // Refused while the store reopens the file; a refused enqueue was not accepted.
        accepted.add(
            await()
                .atMost(Duration.ofSeconds(20))
                .ignoreExceptions()
                .until(() -> tm.enqueue(TYPE, new Step(name)), id -> true));
      }

      Await.allTerminal(tm, accepted);
      assertThat(accepted)
          .extracting(id -> tm.jobs().get(id).map(Job::state).orElseThrow())
          .containsOnly(JobState.SUCCEEDED);
      assertThat(ran).hasSize(44);
    }
  }

  /** As an MVStore panic does: the database closes at once, its open connections left broken. */
  private void closeTheDatabaseAtOnce() throws SQLException {
    // This JVM's second connection shares the engine's open database.
    Connection c =
        DriverManager.getConnection(
            "jdbc:h2:file:" + dir.resolve("taskmill") + ";DB_CLOSE_ON_EXIT=FALSE");
    try (var st = c.createStatement()) {
      st.execute("SHUTDOWN IMMEDIATELY");
    }
    try {
      c.close();
    } catch (SQLException alreadyClosed) {
      // the database it belonged to is gone
    }
  }
}
