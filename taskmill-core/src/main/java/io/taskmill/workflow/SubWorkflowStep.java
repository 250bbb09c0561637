package io.taskmill.workflow;

import java.util.List;

/**
 * Starts a run of another definition and waits for its end; the child's final context is this
 * step's result.
 *
 * @param definition the name of the definition to start (its newest version when this step starts)
 * @param input where in the context the child's input is; null: the whole context
 */
public record SubWorkflowStep(
    String id, String definition, List<String> dependsOn, Condition when, ContextPath input)
    implements Step {
  public SubWorkflowStep {
    dependsOn = List.copyOf(dependsOn);
  }

  @Override
  public String kind() {
    return "subWorkflow";
  }
}
