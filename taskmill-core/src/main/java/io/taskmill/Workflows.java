package io.taskmill;

import io.taskmill.internal.Engine;
import io.taskmill.spi.Ops.WorkflowDefinitionGet;
import io.taskmill.spi.Ops.WorkflowDefinitionInsert;
import io.taskmill.spi.Ops.WorkflowDefinitionList;
import io.taskmill.spi.Ops.WorkflowDefinitionNewest;
import io.taskmill.spi.Ops.WorkflowDefinitionVersions;
import io.taskmill.spi.StoreOp;
import io.taskmill.spi.StoredDefinition;
import io.taskmill.workflow.RegisteredWorkflow;
import io.taskmill.workflow.WorkflowDefinition;
import io.taskmill.workflow.WorkflowJson;
import io.taskmill.workflow.WorkflowRegistration;
import io.taskmill.workflow.WorkflowValidator;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Workflow definitions, shared by every node of the store and versioned: registering a changed
 * definition adds the next version of its name, and a run keeps the version it started with.
 */
public final class Workflows {
  /** The most definitions one {@link #definitions} call returns. */
  public static final int MAX_LIST = 1000;

  /** Registrations of one name racing each other take turns at the next version this often. */
  private static final int REGISTER_TRIES = 50;

  private final Engine engine;
  private final WorkflowValidator validator;

  Workflows(Engine engine) {
    this.engine = engine;
    this.validator =
        new WorkflowValidator(
            type -> engine.handlers().find(type).isPresent(), name -> definition(name).isPresent());
  }

  /**
   * Checks {@code definition} against this engine's handlers and the registered definitions, and
   * stores it as the next version of its name, unless it equals the newest version (then that
   * version is returned and nothing is written).
   *
   * @throws io.taskmill.workflow.InvalidWorkflowException listing every problem, each naming its
   *     step
   */
  public WorkflowRegistration register(WorkflowDefinition definition) {
    Objects.requireNonNull(definition, "definition");
    validator.validate(definition);
    String body = WorkflowJson.write(definition).toString();
    String name = definition.name();
    for (int i = 0; i < REGISTER_TRIES; i++) {
      Instant now = engine.now();
      WorkflowRegistration done =
          engine
              .store()
              .inTransaction(
                  StoreOp.WORKFLOW,
                  tx -> {
                    Optional<StoredDefinition> newest =
                        tx.first(new WorkflowDefinitionNewest(name));
                    if (newest.isPresent() && newest.get().body().equals(body)) {
                      return new WorkflowRegistration(registered(newest.get()), false);
                    }
                    int version = newest.map(d -> d.version() + 1).orElse(1);
                    if (tx.change(new WorkflowDefinitionInsert(name, version, body, now)) == 0) {
                      return null; // another registration took this version first: look again
                    }
                    return new WorkflowRegistration(
                        new RegisteredWorkflow(name, version, definition, now), true);
                  });
      if (done != null) {
        return done;
      }
    }
    throw new IllegalStateException(
        "registering workflow '"
            + name
            + "' lost the race for its next version "
            + REGISTER_TRIES
            + " times in a row");
  }

  /** The newest version of the definition called {@code name}. */
  public Optional<RegisteredWorkflow> definition(String name) {
    checkName(name);
    return engine
        .store()
        .read(StoreOp.WORKFLOW, tx -> tx.first(new WorkflowDefinitionNewest(name)))
        .map(Workflows::registered);
  }

  /** One version of the definition called {@code name}. */
  public Optional<RegisteredWorkflow> definition(String name, int version) {
    checkName(name);
    if (version < 1) {
      throw new IllegalArgumentException("a workflow version is 1 or more, not " + version);
    }
    return engine
        .store()
        .read(StoreOp.WORKFLOW, tx -> tx.first(new WorkflowDefinitionGet(name, version)))
        .map(Workflows::registered);
  }

  /** Every version of the definition called {@code name}, oldest first. */
  public List<RegisteredWorkflow> versions(String name) {
    checkName(name);
    return engine
        .store()
        .read(StoreOp.WORKFLOW, tx -> tx.query(new WorkflowDefinitionVersions(name)))
        .stream()
        .map(Workflows::registered)
        .toList();
  }

  /**
   * The newest version of up to {@code limit} definitions named after {@code afterName} (null: from
   * the first), by name: page on with the last name returned.
   */
  public List<RegisteredWorkflow> definitions(String afterName, int limit) {
    if (limit < 1 || limit > MAX_LIST) {
      throw new IllegalArgumentException("limit must be from 1 to " + MAX_LIST + ", was " + limit);
    }
    return engine
        .store()
        .read(StoreOp.WORKFLOW, tx -> tx.query(new WorkflowDefinitionList(afterName, limit)))
        .stream()
        .map(Workflows::registered)
        .toList();
  }

  private static void checkName(String name) {
    Objects.requireNonNull(name, "name");
    if (!WorkflowValidator.isWorkflowName(name)) {
      throw new IllegalArgumentException(
          "'" + name + "' is not a workflow name; " + WorkflowValidator.NAME_RULE);
    }
  }

  private static RegisteredWorkflow registered(StoredDefinition d) {
    return new RegisteredWorkflow(
        d.name(), d.version(), WorkflowJson.read(d.body()), d.createdAt());
  }
}
