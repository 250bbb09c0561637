package io.taskmill.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DemoCommandTest {
  private static final List<String> COLUMNS =
      List.of("SCHEDULED", "ENQUEUED", "RUNNING", "SUCCEEDED", "CANCELLED", "DEAD", "TOTAL");

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = TaskmillCli.newCommandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void demoEndsEveryJobAsPlannedAndSummarizesByTypeAndState(@TempDir Path dataDir) {
    int code = run("demo", "--data-dir", dataDir.toString(), "--jobs", "40");

    String text = out.toString();
    assertThat(code).as("exit code; output:%n%s%nstderr:%n%s", text, err).isZero();
    Map<String, Map<String, Long>> table = summary(text);
    assertThat(table.get("demo.fail")).containsEntry("SUCCEEDED", 5L).containsEntry("DEAD", 1L);
    assertThat(table.get("demo.sleep")).containsEntry("CANCELLED", 1L).containsEntry("DEAD", 1L);
    assertThat(table.get("demo.noop")).containsEntry("CANCELLED", 1L);
    assertThat(table.get("demo.echo")).containsEntry("SUCCEEDED", 1L);
    for (String type : List.of("media.resize", "mail.send", "report.render")) {
      assertThat(table.get(type)).as(type).containsEntry("DEAD", 0L).containsEntry("CANCELLED", 0L);
      assertThat(table.get(type).get("SUCCEEDED")).as(type).isPositive();
    }
    Map<String, Long> total = table.get("TOTAL");
    assertThat(total)
        .containsEntry("SCHEDULED", 0L)
        .containsEntry("ENQUEUED", 0L)
        .containsEntry("RUNNING", 0L)
        .containsEntry("CANCELLED", 2L)
        .containsEntry("DEAD", 2L);
    assertThat(text)
        .contains("all " + total.get("TOTAL") + " jobs ended as planned")
        .contains("JobTimeoutException")
        .contains("{\"message\":\"hello from Taskmill\"}")
        .contains("RUNNING   -> DEAD");
    // A directory given with --data-dir is kept.
    assertThat(dataDir).isNotEmptyDirectory();
    assertThat(text).contains("Data kept in " + dataDir.toAbsolutePath());
  }

  @Test
  void rejectsANegativeBatchSizeAsUsageError() {
    assertThat(run("demo", "--jobs", "-1")).isEqualTo(TaskmillCli.EXIT_USAGE);
    assertThat(err.toString()).contains("--jobs must be between 0 and 100000, was -1");
  }

  @Test
  void helpListsTheDemoCommand() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString()).contains("Usage: taskmill").contains("demo");
  }

  @Test
  void versionNamesTheBuild() {
    assertThat(run("--version")).isZero();
    assertThat(out.toString()).startsWith("taskmill ").doesNotContain("${");
  }

  /** Rows of the summary table: type -> column -> count. */
  private static Map<String, Map<String, Long>> summary(String text) {
    var rows = new HashMap<String, Map<String, Long>>();
    boolean inTable = false;
    for (String line : text.split("\\R")) {
      String[] cells = line.trim().split("\\s+");
      if (cells.length == 8 && cells[0].equals("TYPE")) {
        assertThat(List.of(cells).subList(1, 8)).isEqualTo(COLUMNS);
        inTable = true;
        continue;
      }
      if (!inTable || line.trim().startsWith("---")) {
        continue;
      }
      if (cells.length != 8) {
        break;
      }
      var row = new HashMap<String, Long>();
      for (int i = 0; i < COLUMNS.size(); i++) {
        row.put(COLUMNS.get(i), Long.parseLong(cells[i + 1]));
      }
      rows.put(cells[0], row);
    }
    assertThat(rows).as("summary table in:%n%s", text).containsKey("TOTAL");
    return rows;
  }
}
