package io.taskmill.workflow;

/**
 * What registering a definition did.
 *
 * @param workflow the version that now holds the definition
 * @param newVersion true when this registration added it; false when the definition equals the
 *     newest version already registered, which is returned unchanged
 */
public record WorkflowRegistration(RegisteredWorkflow workflow, boolean newVersion) {}
