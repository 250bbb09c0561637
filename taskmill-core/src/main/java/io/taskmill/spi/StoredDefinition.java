package io.taskmill.spi;

import java.time.Instant;

/**
 * One version of a workflow definition as the store keeps it.
 *
 * @param body the canonical JSON document ({@code WorkflowJson.write})
 */
public record StoredDefinition(String name, int version, String body, Instant createdAt) {}
