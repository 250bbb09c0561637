package io.taskmill.job;

import static io.taskmill.job.JobState.CANCELLED;
import static io.taskmill.job.JobState.DEAD;
import static io.taskmill.job.JobState.ENQUEUED;
import static io.taskmill.job.JobState.RUNNING;
import static io.taskmill.job.JobState.SCHEDULED;
import static io.taskmill.job.JobState.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JobStateTest {
  /** The rules, written out a second time on purpose: a change to them is a visible diff here. */
  private static final Map<JobState, Set<JobState>> EXPECTED =
      Map.of(
          SCHEDULED, EnumSet.of(ENQUEUED, CANCELLED),
          ENQUEUED, EnumSet.of(RUNNING, CANCELLED),
          RUNNING, EnumSet.of(SUCCEEDED, SCHEDULED, DEAD, CANCELLED, ENQUEUED),
          SUCCEEDED, EnumSet.noneOf(JobState.class),
          CANCELLED, EnumSet.of(ENQUEUED),
          DEAD, EnumSet.of(ENQUEUED));

  /** Finished states: the engine never leaves them; a manual retry may. */
  private static final Set<JobState> TERMINAL = EnumSet.of(SUCCEEDED, CANCELLED, DEAD);

  static final Path DIAGRAM = Path.of("..", "docs", "diagrams", "job-states.mmd");
  static final Path LIFECYCLE = Path.of("..", "docs", "job-lifecycle.md");
  private static final String BEGIN = "<!-- BEGIN GENERATED: job-states -->\n";
  private static final String END = "<!-- END GENERATED: job-states -->";

  @Test
  void everyPairFollowsTheExpectedTable() {
    for (JobState from : JobState.values()) {
      for (JobState to : JobState.values()) {
        assertThat(from.canMoveTo(to))
            .as("%s -> %s", from, to)
            .isEqualTo(EXPECTED.get(from).contains(to));
      }
    }
  }

  @Test
  void terminalStatesAreTheFinishedOnes() {
    for (JobState s : JobState.values()) {
      assertThat(s.isTerminal()).as("%s", s).isEqualTo(TERMINAL.contains(s));
    }
  }

  @Test
  void aTerminalStateIsLeftOnlyByAManualRetryToEnqueued() {
    for (JobState s : TERMINAL) {
      assertThat(EXPECTED.get(s)).as("%s", s).isSubsetOf(ENQUEUED);
    }
  }

  @Test
  void onlyDeadAndCancelledJobsAreRetryable() {
    for (JobState s : JobState.values()) {
      assertThat(s.isRetryable()).as("%s", s).isEqualTo(s == DEAD || s == CANCELLED);
    }
  }

  @Test
  void checkMoveToNamesBothStates() {
    assertThatThrownBy(() -> SUCCEEDED.checkMoveTo(RUNNING))
        .hasMessage("a job cannot move from SUCCEEDED to RUNNING");
  }

  @Test
  void outcomesLeadToStatesRunningMayMoveTo() {
    var outcomes =
        List.of(
            new Outcome.Succeeded(null),
            new Outcome.Retrying(ErrorSummary.of("E", "m"), Instant.EPOCH),
            new Outcome.Dead(ErrorSummary.of("E", "m")),
            new Outcome.Cancelled("x"));
    for (Outcome o : outcomes) {
      assertThat(RUNNING.canMoveTo(o.nextState())).as("%s", o).isTrue();
    }
  }

  /** The committed diagram is generated from the state machine; this fails when it is stale. */
  @Test
  void committedDiagramMatchesTheStateMachine() throws IOException {
    String expected = JobStateDiagram.render();
    if (Boolean.getBoolean("taskmill.updateDocs")) {
      Files.createDirectories(DIAGRAM.getParent());
      Files.writeString(DIAGRAM, expected);
    }
    assertThat(DIAGRAM).as("run mvn test -Dtaskmill.updateDocs=true to regenerate").exists();
    assertThat(Files.readString(DIAGRAM)).isEqualTo(expected);
  }

  /** The lifecycle guide embeds the same generated diagram between markers. */
  @Test
  void lifecycleGuideEmbedsTheCurrentDiagram() throws IOException {
    String doc = Files.readString(LIFECYCLE);
    int from = doc.indexOf(BEGIN);
    int to = doc.indexOf(END);
    assertThat(from).as("markers in %s", LIFECYCLE).isNotNegative();
    String block = "```mermaid\n" + JobStateDiagram.render() + "```\n";
    if (Boolean.getBoolean("taskmill.updateDocs")) {
      doc = doc.substring(0, from + BEGIN.length()) + block + doc.substring(to);
      Files.writeString(LIFECYCLE, doc);
      to = doc.indexOf(END);
    }
    assertThat(doc.substring(from + BEGIN.length(), to))
        .as("run mvn test -Dtaskmill.updateDocs=true to regenerate")
        .isEqualTo(block);
  }
}
