package io.taskmill.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskmill.job.Names;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class WorkflowValidatorTest {
  private static final Set<String> TYPES =
      Set.of(
          "stock.reserve",
          "stock.release",
          "payments.charge",
          "payments.refund",
          "shipping.label",
          "x.y");

  private static final WorkflowValidator VALIDATOR =
      new WorkflowValidator(TYPES::contains, Set.of("shipping")::contains);

  @Test
  void aSoundDefinitionPasses() {
    assertThatCode(() -> VALIDATOR.validate(WorkflowJsonTest.order())).doesNotThrowAnyException();
  }

  static Stream<Arguments> broken() {
    return Stream.of(
        Arguments.of(
            "unknown handler type",
            WorkflowDefinition.named("w").task("charge", "payments.chrage").build(),
            List.of("step 'charge': type 'payments.chrage' has no registered handler")),
        Arguments.of(
            "unknown compensation type",
            WorkflowDefinition.named("w")
                .task("charge", "payments.charge", s -> s.compensation("payments.undo"))
                .build(),
            List.of("step 'charge': compensation 'payments.undo' has no registered handler")),
        Arguments.of(
            "not a job type",
            WorkflowDefinition.named("w").task("a", "Charge").build(),
            List.of("step 'a': type 'Charge' is not a job type; " + Names.TYPE_RULE)),
        Arguments.of(
            "dangling dependency",
            WorkflowDefinition.named("w").task("ship", "x.y", s -> s.after("pack")).build(),
            List.of("step 'ship': depends on 'pack', which is not a step of this workflow")),
        Arguments.of(
            "self dependency",
            WorkflowDefinition.named("w").task("a", "x.y", s -> s.after("a")).build(),
            List.of("step 'a': depends on itself")),
        Arguments.of(
            "cycle and a step that can never run",
            WorkflowDefinition.named("w")
                .task("a", "x.y", s -> s.after("c"))
                .task("b", "x.y", s -> s.after("a"))
                .task("c", "x.y", s -> s.after("b"))
                .task("d", "x.y", s -> s.after("c"))
                .task("e", "x.y")
                .build(),
            List.of(
                "steps 'a' → 'c' → 'b' → 'a' form a cycle: each waits on the one before it",
                "step 'd': can never run, it waits on 'c', which is part of a cycle")),
        Arguments.of(
            "duplicate id",
            WorkflowDefinition.named("w").task("a", "x.y").task("a", "x.y").build(),
            List.of("step 'a': the id is used by two steps")),
        Arguments.of(
            "bad id",
            WorkflowDefinition.named("w").task("1st", "x.y").build(),
            List.of("step '1st': the id is not valid; " + WorkflowValidator.STEP_RULE)),
        Arguments.of(
            "condition on a step it does not depend on",
            WorkflowDefinition.named("w")
                .task("a", "x.y")
                .task("b", "x.y", s -> s.when(Condition.compare("a.ok", "eq", true)))
                .build(),
            List.of(
                "step 'b': its condition reads 'a.ok', the result of step 'a', which it does not"
                    + " depend on (directly or through others)")),
        Arguments.of(
            "input reading its own result",
            WorkflowDefinition.named("w").task("a", "x.y", s -> s.input("a.x")).build(),
            List.of("step 'a': its input reads 'a.x', its own result, which it cannot have yet")),
        Arguments.of(
            "fan-out bounds",
            WorkflowDefinition.named("w")
                .fanOut("f", "x.y", "input.items", s -> s.maxParallel(0).quorum(0))
                .build(),
            List.of(
                "step 'f': maxParallel must be from 1 to 10000, was 0",
                "step 'f': quorum must be at least 1, was 0")),
        Arguments.of(
            "timer and timeout must be positive",
            WorkflowDefinition.named("w")
                .waitFor("t", Duration.ZERO, s -> s.timeout(Duration.ofSeconds(-1)))
                .build(),
            List.of(
                "step 't': a timer needs a positive delay, was PT0S",
                "step 't': timeout must be positive, was PT-1S")),
        Arguments.of(
            "bad signal name",
            WorkflowDefinition.named("w").waitForSignal("s", "pay me!", s -> {}).build(),
            List.of("step 's': 'pay me!' is not a signal name; " + WorkflowValidator.SIGNAL_RULE)),
        Arguments.of(
            "unregistered and recursive sub-workflows",
            WorkflowDefinition.named("w")
                .subWorkflow("a", "billing", s -> {})
                .subWorkflow("b", "w", s -> {})
                .build(),
            List.of(
                "step 'a': starts workflow 'billing', which is not registered",
                "step 'b': starts workflow 'w' itself, which would never end")),
        Arguments.of(
            "bad queue",
            WorkflowDefinition.named("w").task("a", "x.y", s -> s.queue("Fast Lane")).build(),
            List.of("step 'a': queue 'Fast Lane' is not a queue name; " + Names.QUEUE_RULE)),
        Arguments.of(
            "no steps and a bad name",
            WorkflowDefinition.named("my workflow").build(),
            List.of(
                "name: 'my workflow' is not a workflow name; " + WorkflowValidator.NAME_RULE,
                "steps: a workflow needs at least one step")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("broken")
  void aBrokenDefinitionIsRefusedNamingTheStep(
      String what, WorkflowDefinition definition, List<String> problems) {
    assertThat(VALIDATOR.problems(definition)).containsExactlyElementsOf(problems);
    assertThatThrownBy(() -> VALIDATOR.validate(definition))
        .isInstanceOf(InvalidWorkflowException.class)
        .hasMessageContaining(problems.getFirst());
  }

  @Test
  void aReadOfAnUpstreamResultThroughOthersIsAllowed() {
    WorkflowDefinition d =
        WorkflowDefinition.named("w")
            .task("a", "x.y")
            .task("b", "x.y", s -> s.after("a"))
            .task("c", "x.y", s -> s.after("b").when(Condition.exists("a.id")).input("input"))
            .build();

    assertThat(VALIDATOR.problems(d)).isEmpty();
  }
}
