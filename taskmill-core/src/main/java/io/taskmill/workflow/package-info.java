/**
 * Durable workflows: versioned DAGs of steps over the job engine. A definition is written with the
 * fluent {@link io.taskmill.workflow.WorkflowDefinition#named builder} or as a JSON document
 * ({@link io.taskmill.workflow.WorkflowJson}); both are one model, checked by {@link
 * io.taskmill.workflow.WorkflowValidator} when registered.
 */
package io.taskmill.workflow;
