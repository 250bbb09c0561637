package io.taskmill.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskmill.job.Retry;
import io.taskmill.workflow.WaitStep.TimeoutOutcome;
import io.taskmill.workflow.WaitStep.WaitFor;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WorkflowJsonTest {

  static WorkflowDefinition order() {
    return WorkflowDefinition.named("order")
        .task("reserve", "stock.reserve", s -> s.input("input.items").compensation("stock.release"))
        .task(
            "charge",
            "payments.charge",
            s ->
                s.after("reserve")
                    .queue("payments")
                    .retry(Retry.exponential(Duration.ofSeconds(2)).maxAttempts(5))
                    .timeout(Duration.ofSeconds(30))
                    .compensation("payments.refund"))
        .waitForSignal(
            "paid",
            "payment.received",
            s -> s.after("charge").correlation("input.orderId").timeout(Duration.ofHours(1)))
        .fanOut(
            "labels",
            "shipping.label",
            "reserve.parcels",
            s -> s.after("paid").maxParallel(4).quorum(1))
        .waitForApproval(
            "approve",
            s ->
                s.after("labels")
                    .when(Condition.compare("input.total", "gt", 1000))
                    .timeout(Duration.ofDays(2))
                    .onTimeout(TimeoutOutcome.CONTINUE))
        .waitFor("cool-off", Duration.ofMinutes(10), s -> s.after("approve"))
        .subWorkflow("ship", "shipping", s -> s.after("cool-off").input("reserve"))
        .onFailure(OnFailure.COMPENSATE)
        .build();
  }

  @Test
  void theBuilderAndJsonAreOneModel() {
    WorkflowDefinition built = order();
    String json = WorkflowJson.write(built).toString();

    WorkflowDefinition read = WorkflowJson.read(json);

    assertThat(WorkflowJson.write(read).toString()).isEqualTo(json);
    assertThat(read.onFailure()).isEqualTo(OnFailure.COMPENSATE);
    assertThat(read.step("charge").orElseThrow())
        .isInstanceOfSatisfying(
            TaskStep.class,
            t -> {
              assertThat(t.dependsOn()).containsExactly("reserve");
              assertThat(t.retry().maxAttempts()).isEqualTo(5);
              assertThat(t.retry().initialDelay()).isEqualTo(Duration.ofSeconds(2));
              assertThat(t.timeout()).isEqualTo(Duration.ofSeconds(30));
              assertThat(t.compensation()).isEqualTo("payments.refund");
            });
    assertThat(read.step("paid").orElseThrow())
        .isInstanceOfSatisfying(
            WaitStep.class,
            w ->
                assertThat(w.waitFor())
                    .isEqualTo(
                        new WaitFor.Signal(
                            "payment.received", ContextPath.parse("input.orderId"))));
    assertThat(read.step("labels").orElseThrow())
        .isInstanceOfSatisfying(
            FanOutStep.class,
            f -> {
              assertThat(f.maxParallel()).isEqualTo(4);
              assertThat(f.quorum()).isEqualTo(1);
              assertThat(f.items().text()).isEqualTo("reserve.parcels");
            });
    assertThat(read.step("approve").orElseThrow().when())
        .isEqualTo(Condition.compare("input.total", "gt", 1000));
  }

  @Test
  void readsADocumentAsAnAuthorWritesIt() {
    WorkflowDefinition d =
        WorkflowJson.read(
            """
            {"name": "tiles",
             "steps": [
               {"id": "split", "kind": "task", "type": "photo.split"},
               {"id": "tile", "kind": "fanOut", "type": "photo.tile", "items": "split.tiles",
                "dependsOn": ["split"], "maxParallel": 50},
               {"id": "merge", "kind": "task", "type": "photo.merge", "dependsOn": ["tile"],
                "when": {"and": [{"path": "split.count", "op": "gt", "value": 0},
                                 {"not": {"path": "input.dryRun", "op": "exists"}}]}}]}
            """);

    assertThat(d.onFailure()).isEqualTo(OnFailure.FAIL);
    assertThat(d.contextLimitBytes()).isEqualTo(WorkflowDefinition.DEFAULT_CONTEXT_LIMIT_BYTES);
    assertThat(d.steps()).extracting(Step::id).containsExactly("split", "tile", "merge");
    assertThat(d.step("merge").orElseThrow().when())
        .isEqualTo(
            Condition.and(
                Condition.compare("split.count", "gt", 0),
                Condition.not(Condition.exists("input.dryRun"))));
  }

  @Test
  void everyProblemOfADocumentIsListedWithItsStepAndField() {
    assertThatThrownBy(
            () ->
                WorkflowJson.read(
                    """
                    {"name": "bad", "onFailure": "panic", "color": "red",
                     "steps": [
                       {"id": "a", "kind": "task"},
                       {"id": "b", "kind": "teleport"},
                       {"id": "c", "kind": "task", "type": "x.y", "timeout": "5 minutes",
                        "retries": 3},
                       {"id": "d", "kind": "wait", "signal": "s", "timer": "PT1M"},
                       {"id": "e", "kind": "fanOut", "type": "x.y"},
                       {"id": "f", "kind": "task", "type": "x.y",
                        "when": {"path": "input.n", "op": "gt"}},
                       {"id": "g", "kind": "task", "type": "x.y",
                        "retry": {"backoff": "random"}}]}
                    """))
        .isInstanceOfSatisfying(
            InvalidWorkflowException.class,
            e ->
                assertThat(e.problems())
                    .containsExactlyInAnyOrder(
                        "unknown field 'color'",
                        "onFailure: must be one of fail, compensate, suspend, was 'panic'",
                        "step 'a': type: is required",
                        "step 'b': kind 'teleport' is not one of task, fanOut, wait, subWorkflow",
                        "step 'c': unknown field 'retries'",
                        "step 'c': timeout: must be an ISO-8601 duration such as PT30S or PT5M,"
                            + " was '5 minutes'",
                        "step 'd': a wait needs exactly one of signal, timer or approval, not"
                            + " signal and timer",
                        "step 'e': items: a fan-out needs the path of a list in the context",
                        "step 'f': when: the comparison 'gt' on 'input.n' needs a value",
                        "step 'g': retry.backoff: must be fixed, linear or exponential, was"
                            + " 'random'"));
  }

  @Test
  void textThatIsNotJsonIsRefusedSayingSo() {
    assertThatThrownBy(() -> WorkflowJson.read("{\"name\": "))
        .isInstanceOf(InvalidWorkflowException.class)
        .hasMessageStartingWith("the definition is not JSON");
    assertThatThrownBy(() -> WorkflowJson.read("[1, 2]"))
        .hasMessage("the definition must be a JSON object");
  }

  @Test
  void theBuilderRefusesOptionsThatDoNotApplyToTheKind() {
    assertThatThrownBy(
            () -> WorkflowDefinition.named("w").task("a", "x.y", s -> s.maxParallel(3)).build())
        .hasMessage("step 'a': maxParallel and quorum applies to fan-out steps only");
    assertThatThrownBy(
            () ->
                WorkflowDefinition.named("w")
                    .waitForApproval("a", s -> s.compensation("x.undo"))
                    .build())
        .hasMessage("step 'a': compensation applies to task and fan-out steps only");
    assertThatThrownBy(
            () -> WorkflowDefinition.named("w").task("a", "x.y", s -> s.input("a..b")).build())
        .hasMessageStartingWith("step 'a': input: 'a..b' is not a path");
  }
}
