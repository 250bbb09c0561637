package io.taskmill.workflow;

import java.util.List;

/**
 * One node of a workflow's DAG. It becomes ready when every step it depends on is done (a skipped
 * step counts as done), and runs only if its condition holds over the context then; otherwise it is
 * skipped.
 */
public sealed interface Step permits TaskStep, FanOutStep, WaitStep, SubWorkflowStep {

  /** The step's id, unique in its workflow; its result is stored in the context under it. */
  String id();

  /** The ids of the steps that must be done before this one starts. */
  List<String> dependsOn();

  /** When this step runs; null: always. */
  Condition when();

  /** The kind as a JSON definition names it. */
  String kind();
}
