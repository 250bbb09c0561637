package io.taskmill.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchTest {

  @Test
  void smallRunPrintsOneJsonObjectWithEveryFigure(@TempDir Path dataDir) {
    var out = new StringWriter();
    var err = new StringWriter();
    var cli = Bench.newCommandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));

    int code = cli.execute("--json", "--data-dir", dataDir.toString(), "--jobs", "300",
        "--warmup", "100", "--samples", "20", "--concurrency", "16", "--claim-batch", "50");

    assertThat(code).as("stderr: %s", err).isZero();
    String json = out.toString().trim();
    assertThat(json).startsWith("{").endsWith("}").doesNotContain("\n");
    assertThat(json).contains("\"drainJobsPerSec\":", "\"enqueueJobsPerSec\":", "\"pickupP50Ms\":",
        "\"pickupP99Ms\":", "\"pickupMaxMs\":", "\"config\":{", "\"store\":\"H2 file\"",
        "\"jobs\":300", "\"concurrency\":16", "\"claimBatchSize\":50");
    assertThat(dataDir).isNotEmptyDirectory();
  }

  @Test
  void percentileIsNearestRank() {
    long[] sorted = new long[100];
    for (int i = 0; i < 100; i++) {
      sorted[i] = i + 1;
    }
    assertThat(Bench.percentile(sorted, 0.50)).isEqualTo(50);
    assertThat(Bench.percentile(sorted, 0.99)).isEqualTo(99);
    assertThat(Bench.percentile(sorted, 1.0)).isEqualTo(100);
    assertThat(Bench.percentile(new long[] {7}, 0.99)).isEqualTo(7);
  }

  @Test
  void jsonEscapesStrings() {
    var config = new LinkedHashMap<String, Object>();
    config.put("dataDir", "C:\\tmp\\\"x\"");
    config.put("cores", 2);
    String json = Report.json(new Bench.Results(1, 2, 3, 4, 5), config);
    assertThat(json).isEqualTo("{\"drainJobsPerSec\":1.0,\"enqueueJobsPerSec\":2.0,\"pickupP50Ms\":3.0,"
        + "\"pickupP99Ms\":4.0,\"pickupMaxMs\":5.0,\"config\":{\"dataDir\":\"C:\\\\tmp\\\\\\\"x\\\"\",\"cores\":2}}\n");
  }
}
