package io.taskmill.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code --peers} on the machine's PostgreSQL, tiny: every system measured, every schema dropped.
 */
class PeersBenchTest {
  private static final String PG_URL =
      System.getProperty("taskmill.test.pg.url", "jdbc:postgresql://127.0.0.1:5432/postgres");
  private static final String PG_USER = System.getProperty("taskmill.test.pg.user", "postgres");

  private record Run(int code, String out, String err) {}

  private static Run bench(String... args) {
    var out = new StringWriter();
    var err = new StringWriter();
    var cli = Bench.newCommandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void tinyRunMeasuresAllThreeSystemsAndDropsEverySchemaItMade() throws Exception {
    // JobRunr's 5 s poll (the least it allows) dominates: 3 pickup samples, each after a random
    // pause.
    Run run =
        bench(
            "--peers",
            "--json",
            "--db-url",
            PG_URL,
            "--db-user",
            PG_USER,
            "--jobs",
            "200",
            "--warmup",
            "50",
            "--samples",
            "10",
            "--peer-samples",
            "3",
            "--delayed-samples",
            "10",
            "--concurrency",
            "16",
            "--pool-size",
            "2");

    assertThat(run.code()).as("stderr: %s", run.err()).isZero();
    String json = run.out().trim();
    assertThat(json).startsWith("{").endsWith("}").doesNotContain("\n");
    JsonNode root = JsonMapper.builder().build().readTree(json);
    for (String system : List.of("taskmill", "dbScheduler", "jobrunr")) {
      JsonNode f = root.get(system);
      assertThat(f).as(system).isNotNull();
      assertThat(f.get("drainJobsPerSec").doubleValue()).as(system + " drain").isPositive();
      assertThat(f.get("enqueueJobsPerSec").doubleValue()).as(system + " enqueue").isPositive();
      assertThat(f.get("pickupP50Ms").doubleValue()).as(system + " pickup p50").isPositive();
      assertThat(f.get("pickupP99Ms").doubleValue())
          .as(system + " pickup p99")
          .isGreaterThanOrEqualTo(f.get("pickupP50Ms").doubleValue());
    }
    for (String peer : List.of("dbScheduler", "jobrunr")) {
      JsonNode r = root.get("ratios").get(peer);
      assertThat(r).as(peer + " ratios").isNotNull();
      assertThat(r.get("drainRatio").doubleValue()).as(peer + " drain ratio").isPositive();
      assertThat(r.get("pickupP50Ratio").doubleValue()).as(peer + " pickup p50 ratio").isPositive();
      assertThat(r.get("pickupP99Ratio").doubleValue()).as(peer + " pickup p99 ratio").isPositive();
    }
    JsonNode config = root.get("config");
    assertThat(config.get("taskmill.jobs").intValue()).isEqualTo(200);
    assertThat(config.get("dbScheduler.jobs").intValue()).isEqualTo(200);
    assertThat(config.get("jobrunr.jobs").intValue()).isEqualTo(200);
    assertThat(config.get("dbScheduler.pickupSamples").intValue()).isEqualTo(10);
    assertThat(config.get("jobrunr.pickupSamples").intValue()).isEqualTo(3);
    assertThat(config.get("dbScheduler.version").asString()).matches("\\d+\\.\\d+\\.\\d+.*");
    assertThat(config.get("jobrunr.version").asString()).matches("\\d+\\.\\d+\\.\\d+.*");
    assertThat(config.get("database").asString()).contains(PG_URL);

    List<String> schemas = List.of(config.get("schemas").asString().split(" "));
    assertThat(schemas).hasSize(3).allMatch(s -> s.startsWith("taskmill_bench_"));
    assertThat(existing(schemas)).as("schemas left behind").isEmpty();
    // Compare (--compare) reads the same object: every system's figures and the ratios as numbers.
    assertThat(Compare.parse(json).figures())
        .containsKeys(
            "taskmill.drainJobsPerSec",
            "dbScheduler.drainJobsPerSec",
            "jobrunr.pickupP99Ms",
            "ratios.dbScheduler.drainRatio",
            "ratios.jobrunr.pickupP99Ratio");
  }

  @Test
  void peersNeedPostgresAndSayWhichOptionsApply() {
    Run run = bench("--peers", "--jobs", "10");

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err())
        .contains(
            "--peers",
            "--db-url jdbc:postgresql://",
            "With --peers these apply:",
            "--peer-jobs",
            "--peer-samples");
  }

  @Test
  void peersCompareOneInstanceOfEach() {
    Run nodes = bench("--peers", "--db-url", PG_URL, "--nodes", "2");
    Run rest = bench("--peers", "--db-url", PG_URL, "--rest");
    Run samples = bench("--peers", "--db-url", PG_URL, "--peer-samples", "0");

    assertThat(nodes.code()).isEqualTo(2);
    assertThat(nodes.err()).contains("leave out --nodes 2");
    assertThat(rest.code()).isEqualTo(2);
    assertThat(rest.err()).contains("leave out --rest");
    assertThat(samples.code()).isEqualTo(2);
    assertThat(samples.err()).contains("--peer-samples must be between 1 and 100000, was 0");
  }

  private static List<String> existing(List<String> schemas) throws Exception {
    var found = new ArrayList<String>();
    try (var c = DriverManager.getConnection(PG_URL, PG_USER, null);
        var st = c.prepareStatement("select nspname from pg_namespace where nspname = any (?)")) {
      st.setArray(1, c.createArrayOf("text", schemas.toArray()));
      try (var rs = st.executeQuery()) {
        while (rs.next()) {
          found.add(rs.getString(1));
        }
      }
    }
    return found;
  }
}
