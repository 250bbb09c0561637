package io.taskmill.engine;

import io.taskmill.Taskmill;
import io.taskmill.engine.Payloads.Step;
import io.taskmill.job.JobRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;

/**
 * A child JVM for {@link CrashRecoveryTest}: opens the engine on a data dir, enqueues jobs, prints
 * a line as each attempt starts, and runs until it is killed.
 */
public final class KillTarget {
  private KillTarget() {}

  public static void main(String[] args) throws Exception {
    Path dataDir = Path.of(args[0]);
    int jobs = Integer.parseInt(args[1]);
    Taskmill tm =
        Taskmill.builder()
            .dataDir(dataDir)
            .handler(
                "test.work",
                Step.class,
                (p, ctx) -> {
                  synchronized (System.out) {
                    System.out.println("started " + ctx.jobId());
                    System.out.flush();
                  }
                  Payloads.work(Duration.ofMillis(20));
                })
            .queue("default", q -> q.concurrency(8))
            .start();
    var requests = new ArrayList<JobRequest>();
    for (int i = 0; i < jobs; i++) {
      requests.add(JobRequest.of("test.work", new Step("job-" + i)));
    }
    tm.enqueueAll(requests);
    synchronized (System.out) {
      System.out.println("enqueued " + jobs);
      System.out.flush();
    }
    Thread.currentThread().join(); // run until killed
  }
}
