package io.taskmill.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CompareTest {
  @Test
  void aChildRunGetsEveryOptionButTheComparingOnes() {
    assertThat(
            Compare.childArgs(
                List.of(
                    "--compare",
                    "HEAD~2",
                    "--jobs",
                    "300",
                    "--runs=5",
                    "--json",
                    "--db-url",
                    "jdbc:postgresql://h/db",
                    "--compare=main",
                    "--runs",
                    "2")))
        .containsExactly("--jobs", "300", "--db-url", "jdbc:postgresql://h/db");
  }

  @Test
  void figuresAreTheNumbersOutsideGoalsAndConfigNestedOnesDotted() {
    var run =
        Compare.parse(
            "{\"drainJobsPerSec\":9000.5,\"crossNodePickupP99Ms\":null,"
                + "\"peers\":{\"dbScheduler\":{\"drainJobsPerSec\":3400}},\"label\":\"x\","
                + "\"goals\":{\"drainJobsPerSec\":{\"min\":10000.0,\"met\":false}},"
                + "\"config\":{\"store\":\"H2 file\",\"cores\":2}}");

    assertThat(run.figures())
        .containsOnlyKeys(
            "drainJobsPerSec", "crossNodePickupP99Ms", "peers.dbScheduler.drainJobsPerSec");
    assertThat(run.figures().get("drainJobsPerSec")).isEqualTo(9000.5);
    assertThat(run.figures().get("crossNodePickupP99Ms")).isNaN();
    assertThat(run.config()).containsEntry("store", "H2 file").containsKey("cores");
  }

  @Test
  void theTableGivesEachBuildsRunsMediansAndTheRatioWithItsDirection() {
    var base =
        new Compare.Side(
            "base",
            "abc123 (HEAD~1)",
            new ArrayList<>(
                List.of(
                    Map.of("drainJobsPerSec", 8000.0, "pickupP99Ms", 8.0),
                    Map.of("drainJobsPerSec", 9000.0, "pickupP99Ms", 6.0),
                    Map.of("drainJobsPerSec", 7000.0, "pickupP99Ms", 7.0))));
    var current =
        new Compare.Side(
            "current",
            "this build",
            new ArrayList<>(
                List.of(
                    Map.of("drainJobsPerSec", 10000.0, "pickupP99Ms", 7.0),
                    Map.of("drainJobsPerSec", 8800.0, "pickupP99Ms", 7.5),
                    Map.of("drainJobsPerSec", 9600.0, "pickupP99Ms", 7.2))));
    var outcome =
        new Compare.Outcome(
            base, current, Map.of("store", "H2 file", "runsEach", 3, "order", "alternating"));

    String table = Compare.table(outcome);

    assertThat(table)
        .containsPattern("drainJobsPerSec +base +8,000 · 9,000 · 7,000 +8,000\n")
        .containsPattern(" +current +10,000 · 8,800 · 9,600 +9,600 +1\\.200 better\n")
        // a latency that went up is worse, though its ratio is above 1 too
        .containsPattern(" +current +7\\.00 · 7\\.50 · 7\\.20 +7\\.20 +1\\.029 worse\n");
    assertThat(Compare.json(outcome))
        .contains(
            "\"drainJobsPerSec\":{\"base\":[8000.0,9000.0,7000.0],"
                + "\"current\":[10000.0,8800.0,9600.0],\"baseMedian\":8000.0,\"currentMedian\":9600.0,\"ratio\":1.2}");
  }

  @Test
  void medianOfAnEvenCountIsTheMeanOfTheMiddleTwoAndIgnoresUnmeasuredRuns() {
    assertThat(Compare.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
    assertThat(Compare.median(List.of(5.0, Double.NaN, 1.0, 3.0))).isEqualTo(3.0);
    assertThat(Compare.median(List.of(Double.NaN))).isNaN();
  }

  /**
   * The whole path on a tiny run: HEAD is checked out in a scratch worktree and built with Maven,
   * then its bench and this build's run in turn as separate processes, and the ratios are printed.
   */
  @Test
  void buildsTheBaseRevisionAndRunsBothBuildsInTurn() throws Exception {
    Path root;
    try {
      root =
          Path.of(Compare.git(Path.of("").toAbsolutePath(), "rev-parse", "--show-toplevel").trim());
    } catch (IllegalStateException e) {
      root = null;
    }
    assumeThat(root).as("a git checkout (this test builds its HEAD)").isNotNull();
    var plan =
        Compare.planFor(
            "HEAD",
            1,
            List.of(
                "--compare",
                "HEAD",
                "--runs",
                "1",
                "--jobs",
                "200",
                "--warmup",
                "50",
                "--samples",
                "10",
                "--delayed-samples",
                "5",
                "--concurrency",
                "16",
                "--claim-batch",
                "50",
                "--phase-timeout",
                "120"));
    var progress = new ByteArrayOutputStream();

    var compare = new Compare(plan, new PrintStream(progress, true, StandardCharsets.UTF_8));
    var outcome = compare.run();

    assertThat(outcome.base().runs()).hasSize(1);
    assertThat(outcome.current().runs()).hasSize(1);
    assertThat(outcome.base().runs().getFirst().get("drainJobsPerSec")).isPositive();
    assertThat(outcome.current().runs().getFirst().get("drainJobsPerSec")).isPositive();
    String sha = Compare.git(root, "rev-parse", "HEAD").trim().substring(0, 12);
    assertThat(compare.scratch().resolve(sha).resolve(".taskmill-compare-built")).exists();
    assertThat(Files.list(compare.scratch().resolve("logs")).map(Path::toString))
        .anyMatch(p -> p.endsWith("base-1.json"))
        .anyMatch(p -> p.endsWith("current-1.json"));
    var out = new StringWriter();
    Compare.print(outcome, false, new PrintWriter(out));
    assertThat(out.toString())
        .contains("base     " + sha + " (HEAD)", "current  this build")
        .containsPattern("drainJobsPerSec +base +[0-9,.]+ +[0-9,.]+\n")
        .containsPattern(" +current +[0-9,.]+ +[0-9,.]+ +[0-9]+\\.[0-9]{3} (better|worse|same)\n")
        .contains("store        H2 file");
    assertThat(progress.toString(StandardCharsets.UTF_8))
        .contains("compare run 1/2: base", "compare run 2/2: current");
  }
}
