package io.taskmill.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskmill.spi.Ops.WorkflowDefinitionGet;
import io.taskmill.spi.Ops.WorkflowDefinitionInsert;
import io.taskmill.spi.Ops.WorkflowDefinitionList;
import io.taskmill.spi.Ops.WorkflowDefinitionNewest;
import io.taskmill.spi.Ops.WorkflowDefinitionVersions;
import io.taskmill.spi.StoreOp;
import io.taskmill.spi.StoreTx;
import io.taskmill.spi.StoredDefinition;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The workflow definition versions: insert unless taken, newest, one, all, and the list. */
public abstract class WorkflowDefinitionContract extends StoreContractSupport {

  private int insert(String name, int version, String body) {
    return store.inTransaction(
        StoreOp.WORKFLOW,
        tx ->
            tx.change(new WorkflowDefinitionInsert(name, version, body, T0.plusSeconds(version))));
  }

  @Test
  void storesVersionsAndReadsThemBack() {
    assertThat(insert("order", 1, "{\"v\":1}")).isEqualTo(1);
    assertThat(insert("order", 2, "{\"v\":2}")).isEqualTo(1);

    assertThat(
            store.read(
                StoreOp.WORKFLOW, (StoreTx tx) -> tx.first(new WorkflowDefinitionNewest("order"))))
        .contains(new StoredDefinition("order", 2, "{\"v\":2}", T0.plusSeconds(2)));
    assertThat(
            store.read(
                StoreOp.WORKFLOW, (StoreTx tx) -> tx.first(new WorkflowDefinitionGet("order", 1))))
        .contains(new StoredDefinition("order", 1, "{\"v\":1}", T0.plusSeconds(1)));
    assertThat(
            store.read(
                StoreOp.WORKFLOW,
                (StoreTx tx) -> tx.query(new WorkflowDefinitionVersions("order"))))
        .extracting(StoredDefinition::version)
        .containsExactly(1, 2);
    assertThat(
            store.read(
                StoreOp.WORKFLOW, (StoreTx tx) -> tx.first(new WorkflowDefinitionNewest("nope"))))
        .isEmpty();
  }

  @Test
  void aTakenVersionInsertsNothingAndTheTransactionGoesOn() {
    insert("order", 1, "{\"v\":1}");

    List<Integer> counts =
        store.inTransaction(
            StoreOp.WORKFLOW,
            tx ->
                List.of(
                    tx.change(new WorkflowDefinitionInsert("order", 1, "{\"other\":1}", T0)),
                    tx.change(new WorkflowDefinitionInsert("order", 2, "{\"v\":2}", T0))));

    assertThat(counts).containsExactly(0, 1);
    assertThat(
            store.read(
                StoreOp.WORKFLOW,
                (StoreTx tx) -> tx.query(new WorkflowDefinitionVersions("order"))))
        .extracting(StoredDefinition::body)
        .containsExactly("{\"v\":1}", "{\"v\":2}");
  }

  @Test
  void listsTheNewestVersionOfEachNameByNameInPages() {
    insert("b-flow", 1, "{\"b\":1}");
    insert("a-flow", 1, "{\"a\":1}");
    insert("b-flow", 2, "{\"b\":2}");
    insert("c-flow", 1, "{\"c\":1}");

    List<StoredDefinition> first =
        store.read(StoreOp.WORKFLOW, (StoreTx tx) -> tx.query(new WorkflowDefinitionList(null, 2)));
    List<StoredDefinition> rest =
        store.read(
            StoreOp.WORKFLOW,
            (StoreTx tx) -> tx.query(new WorkflowDefinitionList(first.getLast().name(), 2)));

    assertThat(first)
        .extracting(d -> d.name() + "@" + d.version())
        .containsExactly("a-flow@1", "b-flow@2");
    assertThat(rest).extracting(d -> d.name() + "@" + d.version()).containsExactly("c-flow@1");
  }

  @Test
  void aLargeDocumentIsKeptWhole() {
    String body = "{\"steps\":\"" + "x".repeat(200_000) + "\"}";
    insert("big", 1, body);

    assertThat(
            store.read(
                StoreOp.WORKFLOW, (StoreTx tx) -> tx.first(new WorkflowDefinitionGet("big", 1))))
        .get()
        .extracting(StoredDefinition::body)
        .isEqualTo(body);
  }
}
