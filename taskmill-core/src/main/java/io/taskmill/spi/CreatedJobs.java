package io.taskmill.spi;

import io.taskmill.job.JobId;
import io.taskmill.job.JobState;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The body of a {@value #KIND} outbox row: the jobs one insert created, written by the store in the
 * insert's transaction (one row per batch, not per job, so enqueues stay cheap) and read by the
 * engine's event feed. Defined here so the writer and the reader share one format.
 *
 * <p>JSON: {@code {"node":"n1","runs":[{"type":"…","queue":"…","state":"ENQUEUED",
 * "runAt":"2025-01-01T00:00:00Z","ids":["…","…"]}]}}: consecutive jobs that share type, queue,
 * state and due time form one run, so a batch of one kind of job costs its ids and little more (a
 * field-per-job body made the row as large as the jobs it listed). Rows of the first format, {@code
 * {"node":"n1","jobs":[{"id":"…","type":"…",…}]}}, written before, still read.
 *
 * @param node the node that inserted the jobs
 */
public record CreatedJobs(String node, List<Created> jobs) {
  /** The outbox kind of these rows. */
  public static final String KIND = "jobs.created";

  /** Most jobs in one row; a larger insert writes several rows, so a body stays small. */
  public static final int MAX_JOBS = 1000;

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** One created job as the feed shows it. */
  public record Created(JobId id, String type, String queue, JobState state, Instant runAt) {}

  public CreatedJobs {
    jobs = List.copyOf(jobs);
  }

  /** The rows' JSON for {@code jobs} (at most {@link #MAX_JOBS}) inserted by {@code node}. */
  public static String encode(String node, List<NewJob> jobs) {
    if (jobs.size() > MAX_JOBS) {
      throw new IllegalArgumentException(
          jobs.size() + " jobs in one outbox row; split them into rows of " + MAX_JOBS);
    }
    ObjectNode root = JSON.createObjectNode();
    root.put("node", node);
    ArrayNode runs = root.putArray("runs");
    NewJob previous = null;
    ArrayNode ids = null;
    for (NewJob j : jobs) {
      if (previous == null || !sameRun(previous, j)) {
        ObjectNode run =
            runs.addObject()
                .put("type", j.type())
                .put("queue", j.queue())
                .put("state", j.state().name())
                .put("runAt", j.runAt().truncatedTo(ChronoUnit.MICROS).toString());
        ids = run.putArray("ids");
      }
      ids.add(j.id().toString());
      previous = j;
    }
    return JSON.writeValueAsString(root);
  }

  private static boolean sameRun(NewJob a, NewJob b) {
    return a.type().equals(b.type())
        && a.queue().equals(b.queue())
        && a.state() == b.state()
        && a.runAt()
            .truncatedTo(ChronoUnit.MICROS)
            .equals(b.runAt().truncatedTo(ChronoUnit.MICROS));
  }

  /** Reads a body written by {@link #encode}, or by this class's first format. */
  public static CreatedJobs decode(String body) {
    JsonNode root = JSON.readTree(body);
    var jobs = new ArrayList<Created>();
    for (JsonNode run : root.path("runs")) {
      String type = run.path("type").asString();
      String queue = run.path("queue").asString();
      JobState state = JobState.valueOf(run.path("state").asString());
      Instant runAt = Instant.parse(run.path("runAt").asString());
      for (JsonNode id : run.path("ids")) {
        jobs.add(new Created(new JobId(UUID.fromString(id.asString())), type, queue, state, runAt));
      }
    }
    // The first format: every field on every job. The jobs of one insert mostly share their due
    // time (the insert's now): parse it once.
    String runAtText = null;
    Instant runAt = null;
    for (JsonNode j : root.path("jobs")) {
      String text = j.path("runAt").asString();
      if (!text.equals(runAtText)) {
        runAt = Instant.parse(text);
        runAtText = text;
      }
      jobs.add(
          new Created(
              new JobId(UUID.fromString(j.path("id").asString())),
              j.path("type").asString(),
              j.path("queue").asString(),
              JobState.valueOf(j.path("state").asString()),
              runAt));
    }
    return new CreatedJobs(root.path("node").asString(), jobs);
  }
}
