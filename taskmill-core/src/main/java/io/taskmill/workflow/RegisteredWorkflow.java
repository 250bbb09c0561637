package io.taskmill.workflow;

import java.time.Instant;

/**
 * One version of a registered workflow definition.
 *
 * @param version 1 for a name's first registration, one more for each change after it
 */
public record RegisteredWorkflow(
    String name, int version, WorkflowDefinition definition, Instant createdAt) {}
