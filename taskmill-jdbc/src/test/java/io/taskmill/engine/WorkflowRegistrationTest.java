package io.taskmill.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskmill.Taskmill;
import io.taskmill.engine.Payloads.Step;
import io.taskmill.jdbc.JdbcStoreProvider;
import io.taskmill.spi.Store;
import io.taskmill.spi.StoreSettings;
import io.taskmill.workflow.InvalidWorkflowException;
import io.taskmill.workflow.RegisteredWorkflow;
import io.taskmill.workflow.WorkflowDefinition;
import io.taskmill.workflow.WorkflowJson;
import io.taskmill.workflow.WorkflowRegistration;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Registering workflow definitions on a real engine (H2 file): versions, checks, races. */
class WorkflowRegistrationTest {
  @TempDir Path dataDir;

  private Taskmill start(Store store) {
    return Taskmill.builder()
        .store(store)
        .handler("stock.reserve", Step.class, (p, ctx) -> {})
        .handler("payments.charge", Step.class, (p, ctx) -> {})
        .start();
  }

  private Store store() {
    return new JdbcStoreProvider().open(new StoreSettings(dataDir, null, null, null, null, 8));
  }

  private static WorkflowDefinition order(String chargeAfter) {
    return WorkflowDefinition.named("order")
        .task("reserve", "stock.reserve")
        .task("charge", "payments.charge", s -> s.after(chargeAfter))
        .build();
  }

  @Test
  void aChangedDefinitionGetsTheNextVersionAndAnUnchangedOneKeepsItsOwn() {
    try (Store store = store();
        Taskmill tm = start(store)) {
      WorkflowRegistration first = tm.workflows().register(order("reserve"));
      WorkflowRegistration again = tm.workflows().register(order("reserve"));
      WorkflowRegistration changed =
          tm.workflows()
              .register(
                  WorkflowDefinition.named("order").task("charge", "payments.charge").build());

      assertThat(first.newVersion()).isTrue();
      assertThat(first.workflow().version()).isEqualTo(1);
      assertThat(again.newVersion()).isFalse();
      assertThat(again.workflow().version()).isEqualTo(1);
      assertThat(changed.newVersion()).isTrue();
      assertThat(changed.workflow().version()).isEqualTo(2);
      assertThat(tm.workflows().versions("order"))
          .extracting(RegisteredWorkflow::version)
          .containsExactly(1, 2);
      assertThat(tm.workflows().definition("order", 1).orElseThrow().definition().steps())
          .hasSize(2);
      assertThat(tm.workflows().definition("order").orElseThrow().version()).isEqualTo(2);
    }
  }

  @Test
  void versionsOutliveTheEngineThatRegisteredThem() {
    String written;
    try (Store store = store();
        Taskmill tm = start(store)) {
      written =
          WorkflowJson.write(tm.workflows().register(order("reserve")).workflow().definition())
              .toString();
    }
    try (Store store = store();
        Taskmill tm = start(store)) {
      RegisteredWorkflow read = tm.workflows().definition("order").orElseThrow();
      assertThat(WorkflowJson.write(read.definition()).toString()).isEqualTo(written);
      assertThat(read.version()).isEqualTo(1);
    }
  }

  @Test
  void aDefinitionWithUnknownHandlersOrSubWorkflowsIsRefusedAndNothingIsStored() {
    try (Store store = store();
        Taskmill tm = start(store)) {
      assertThatThrownBy(
              () ->
                  tm.workflows()
                      .register(
                          WorkflowDefinition.named("order")
                              .task("reserve", "stock.reserve")
                              .task("ship", "shipping.ship", s -> s.after("reserve"))
                              .subWorkflow("notify", "mailer", s -> s.after("ship"))
                              .build()))
          .isInstanceOfSatisfying(
              InvalidWorkflowException.class,
              e ->
                  assertThat(e.problems())
                      .containsExactly(
                          "step 'ship': type 'shipping.ship' has no registered handler",
                          "step 'notify': starts workflow 'mailer', which is not registered"));
      assertThat(tm.workflows().definition("order")).isEmpty();
    }
  }

  @Test
  void aSubWorkflowMayStartARegisteredDefinition() {
    try (Store store = store();
        Taskmill tm = start(store)) {
      tm.workflows()
          .register(WorkflowDefinition.named("billing").task("charge", "payments.charge").build());

      WorkflowRegistration order =
          tm.workflows()
              .register(
                  WorkflowDefinition.named("order")
                      .task("reserve", "stock.reserve")
                      .subWorkflow("bill", "billing", s -> s.after("reserve"))
                      .build());

      assertThat(order.workflow().version()).isEqualTo(1);
      assertThat(tm.workflows().definitions(null, 10))
          .extracting(RegisteredWorkflow::name)
          .containsExactly("billing", "order");
    }
  }

  @Test
  void concurrentRegistrationsOfDifferentDefinitionsEachGetAVersionOfTheirOwn() throws Exception {
    int writers = 8;
    try (Store store = store();
        Taskmill tm = start(store);
        var pool = Executors.newFixedThreadPool(writers)) {
      var go = new CountDownLatch(1);
      var futures = new ArrayList<Future<WorkflowRegistration>>();
      for (int i = 0; i < writers; i++) {
        // Each a different definition: a chain of i + 1 charge steps.
        var b = WorkflowDefinition.named("order").task("s0", "payments.charge");
        for (int k = 1; k <= i; k++) {
          String prev = "s" + (k - 1);
          b.task("s" + k, "payments.charge", s -> s.after(prev));
        }
        WorkflowDefinition d = b.build();
        Callable<WorkflowRegistration> register =
            () -> {
              go.await();
              return tm.workflows().register(d);
            };
        futures.add(pool.submit(register));
      }
      go.countDown();
      var versions = new ArrayList<Integer>();
      for (Future<WorkflowRegistration> f : futures) {
        WorkflowRegistration r = f.get();
        assertThat(r.newVersion()).isTrue();
        versions.add(r.workflow().version());
      }

      assertThat(versions).containsExactlyInAnyOrderElementsOf(List.of(1, 2, 3, 4, 5, 6, 7, 8));
      assertThat(tm.workflows().versions("order")).hasSize(writers);
    }
  }

  @Test
  void badArgumentsAreRefusedSayingWhy() {
    try (Store store = store();
        Taskmill tm = start(store)) {
      assertThatThrownBy(() -> tm.workflows().definition("no such name!"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("is not a workflow name");
      assertThatThrownBy(() -> tm.workflows().definition("order", 0))
          .hasMessage("a workflow version is 1 or more, not 0");
      assertThatThrownBy(() -> tm.workflows().definitions(null, 0))
          .hasMessage("limit must be from 1 to 1000, was 0");
      assertThatThrownBy(() -> tm.workflows().register(null))
          .isInstanceOf(NullPointerException.class);
    }
  }
}
