package io.taskmill.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

class RestBenchTest {

  @Test
  void smallRestRunPrintsEveryFigureAndWhatWasPaused(@TempDir Path dataDir) {
    var out = new StringWriter();
    var err = new StringWriter();
    var cli = Bench.newCommandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));

    int code =
        cli.execute(
            "--rest",
            "--json",
            "--data-dir",
            dataDir.toString(),
            "--rest-jobs",
            "200",
            "--rest-clients",
            "8",
            "--rest-batch-jobs",
            "250",
            "--rest-batch-size",
            "100",
            "--rest-batch-clients",
            "2",
            "--rest-get-rate",
            "100",
            "--rest-get-seconds",
            "1",
            "--rest-warmup",
            "50");

    assertThat(code).as("stderr: %s", err).isZero();
    String json = out.toString().trim();
    assertThat(json).startsWith("{").endsWith("}").doesNotContain("\n");
    var tree = JsonMapper.builder().build().readTree(json);
    assertThat(tree.get("submitJobsPerSec").asDouble()).isPositive();
    assertThat(tree.get("batchJobsPerSec").asDouble()).isPositive();
    assertThat(tree.get("getP99Ms").asDouble()).isPositive();
    assertThat(tree.get("goals").get("getP99Ms").get("max").asDouble()).isEqualTo(10.0);
    var config = tree.get("config");
    assertThat(config.get("store").asString()).isEqualTo("H2 file");
    assertThat(config.get("paused").asString()).contains("/api/v1/queues/default/pause");
    assertThat(config.get("submitClients").asInt()).isEqualTo(8);
    assertThat(config.get("getRequests").asInt()).isEqualTo(100);
  }

  @Test
  void anyNon2xxAnswerFailsTheRunWithWhatWasAnswered() throws Exception {
    // A stand-in server: pausing works, every submission is refused.
    var fake = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    fake.createContext(
        "/",
        ex -> {
          boolean pause = ex.getRequestURI().getPath().endsWith("/pause");
          byte[] body =
              (pause ? "{}" : "{\"title\":\"Service Unavailable\"}")
                  .getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(pause ? 200 : 503, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    fake.start();
    try {
      var base = URI.create("http://127.0.0.1:" + fake.getAddress().getPort());
      var settings = new RestBench.Settings(10, 2, 10, 5, 1, 10, 1, 0, Duration.ofSeconds(30));
      var bench = new RestBench(base, "key", settings, line -> {});

      assertThatThrownBy(bench::run)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("single submissions: 10 of 10 requests failed")
          .hasMessageContaining("503 POST /api/v1/jobs: {\"title\":\"Service Unavailable\"}");
    } finally {
      fake.stop(0);
    }
  }

  @Test
  void restTableJudgesEachFigureAgainstItsGoal() {
    var config = new LinkedHashMap<String, Object>();
    config.put("store", "H2 file");
    config.put("warmupRequests", 10);
    config.put("submitJobs", 20_000);
    config.put("batchJobs", 50_000);
    config.put("batchSize", 1_000);
    config.put("getRequests", 10_000);
    config.put("getRatePerSec", 500);
    var results = new RestBench.Results(2_500, 18_000, new Latencies(10_000, 1.5, 12, 40));

    String table = RestReport.table(results, config);

    assertThat(table)
        .containsPattern("single submit +2,500 jobs/s +>= 2,000 jobs/s +ok\n")
        .containsPattern("batch submit +18,000 jobs/s +>= 20,000 jobs/s +MISSED\n")
        .containsPattern("get latency p99 +12.00 ms +<= 10.00 ms +MISSED\n")
        .contains("goals met: 1 of 3 (REST goals)");
  }

  @Test
  void aBatchBodyHoldsTheRequestedNumberOfJobs() throws Exception {
    var tree = JsonMapper.builder().build().readTree(RestBench.batchBody(3));

    assertThat(tree.get("jobs").size()).isEqualTo(3);
    assertThat(tree.get("jobs").get(2).get("type").asString()).isEqualTo("demo.noop");
  }
}
