package io.taskmill.workflow;

import io.taskmill.job.Retry;
import io.taskmill.workflow.WaitStep.TimeoutOutcome;
import io.taskmill.workflow.WaitStep.WaitFor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A workflow as its author wrote it: named steps forming a DAG, what a failure does, and how large
 * its context may grow. Registering it checks it ({@link WorkflowValidator}) and gives it the next
 * version of its name; a run keeps the version it started with.
 *
 * @param contextLimitBytes the largest a run's JSON context may be; a step whose result would pass
 *     it fails with an error saying so
 */
public record WorkflowDefinition(
    String name, List<Step> steps, OnFailure onFailure, int contextLimitBytes) {
  /** A context's size bound unless the definition says. */
  public static final int DEFAULT_CONTEXT_LIMIT_BYTES = 256 * 1024;

  /** The largest context bound a definition may ask for. */
  public static final int MAX_CONTEXT_LIMIT_BYTES = 16 * 1024 * 1024;

  public WorkflowDefinition {
    steps = List.copyOf(steps);
    onFailure = onFailure == null ? OnFailure.FAIL : onFailure;
  }

  /** Starts a definition called {@code name}. */
  public static Builder named(String name) {
    return new Builder(name);
  }

  /** The step with this id. */
  public Optional<Step> step(String id) {
    return steps.stream().filter(s -> s.id().equals(id)).findFirst();
  }

  /** Builds a {@link WorkflowDefinition} step by step, in the order the steps are listed. */
  public static final class Builder {
    private final String name;
    private final List<Step> steps = new ArrayList<>();
    private OnFailure onFailure = OnFailure.FAIL;
    private int contextLimitBytes = DEFAULT_CONTEXT_LIMIT_BYTES;

    private Builder(String name) {
      this.name = name;
    }

    /** A step that runs {@code type}'s handler as one job. */
    public Builder task(String id, String type) {
      return task(id, type, s -> {});
    }

    /** A step that runs {@code type}'s handler as one job, configured by {@code options}. */
    public Builder task(String id, String type, Consumer<StepOptions> options) {
      StepOptions o = options(id, options);
      o.refuse("maxParallel and quorum", o.maxParallel != null || o.quorum != null, "fan-out");
      o.refuse("correlation", o.correlation != null, "signal wait");
      o.refuse("onTimeout", o.onTimeout != null, "wait");
      steps.add(
          new TaskStep(
              id, type, o.after, o.when, o.input, o.queue, o.retry, o.timeout, o.compensation));
      return this;
    }

    /** A step that runs {@code type}'s handler once per element of the list at {@code items}. */
    public Builder fanOut(String id, String type, String items, Consumer<StepOptions> options) {
      StepOptions o = options(id, options);
      o.refuse("input", o.input != null, "task and sub-workflow");
      o.refuse("correlation", o.correlation != null, "signal wait");
      o.refuse("onTimeout", o.onTimeout != null, "wait");
      steps.add(
          new FanOutStep(
              id,
              type,
              o.after,
              o.when,
              path(id, "items", items),
              o.maxParallel == null ? FanOutStep.DEFAULT_MAX_PARALLEL : o.maxParallel,
              o.quorum,
              o.queue,
              o.retry,
              o.timeout,
              o.compensation));
      return this;
    }

    /** A step that waits for the signal {@code signal}. */
    public Builder waitForSignal(String id, String signal, Consumer<StepOptions> options) {
      StepOptions o = waitOptions(id, options);
      steps.add(
          new WaitStep(
              id,
              o.after,
              o.when,
              new WaitFor.Signal(signal, o.correlation),
              o.timeout,
              o.onTimeout));
      return this;
    }

    /** A step that waits {@code delay}. */
    public Builder waitFor(String id, Duration delay, Consumer<StepOptions> options) {
      StepOptions o = waitOptions(id, options);
      o.refuse("correlation", o.correlation != null, "signal wait");
      steps.add(
          new WaitStep(id, o.after, o.when, new WaitFor.Timer(delay), o.timeout, o.onTimeout));
      return this;
    }

    /** A step that waits for an operator to approve or reject. */
    public Builder waitForApproval(String id, Consumer<StepOptions> options) {
      StepOptions o = waitOptions(id, options);
      o.refuse("correlation", o.correlation != null, "signal wait");
      steps.add(new WaitStep(id, o.after, o.when, new WaitFor.Approval(), o.timeout, o.onTimeout));
      return this;
    }

    /** A step that runs the workflow {@code definition} and waits for its end. */
    public Builder subWorkflow(String id, String definition, Consumer<StepOptions> options) {
      StepOptions o = options(id, options);
      o.refuse("queue", o.queue != null, "task and fan-out");
      o.refuse("retry", o.retry != null, "task and fan-out");
      o.refuse("timeout", o.timeout != null, "task, fan-out and wait");
      o.refuse("compensation", o.compensation != null, "task and fan-out");
      o.refuse("maxParallel and quorum", o.maxParallel != null || o.quorum != null, "fan-out");
      o.refuse("correlation", o.correlation != null, "signal wait");
      o.refuse("onTimeout", o.onTimeout != null, "wait");
      steps.add(new SubWorkflowStep(id, definition, o.after, o.when, o.input));
      return this;
    }

    /** What a run does when a step fails for good (default {@link OnFailure#FAIL}). */
    public Builder onFailure(OnFailure onFailure) {
      this.onFailure = onFailure;
      return this;
    }

    /** The largest a run's context may be, in bytes of JSON. */
    public Builder contextLimitBytes(int bytes) {
      this.contextLimitBytes = bytes;
      return this;
    }

    /** The definition; {@link WorkflowValidator} checks it when it is registered. */
    public WorkflowDefinition build() {
      return new WorkflowDefinition(name, steps, onFailure, contextLimitBytes);
    }

    private StepOptions waitOptions(String id, Consumer<StepOptions> options) {
      StepOptions o = options(id, options);
      o.refuse("input", o.input != null, "task and sub-workflow");
      o.refuse("queue", o.queue != null, "task and fan-out");
      o.refuse("retry", o.retry != null, "task and fan-out");
      o.refuse("compensation", o.compensation != null, "task and fan-out");
      o.refuse("maxParallel and quorum", o.maxParallel != null || o.quorum != null, "fan-out");
      return o;
    }

    private static StepOptions options(String id, Consumer<StepOptions> options) {
      var o = new StepOptions(id);
      options.accept(o);
      return o;
    }

    private static ContextPath path(String step, String option, String text) {
      try {
        return ContextPath.parse(text);
      } catch (IllegalArgumentException e) {
        throw new InvalidWorkflowException(
            List.of("step '" + step + "': " + option + ": " + e.getMessage()));
      }
    }
  }

  /** The options of one step; each kind of step takes the ones that apply to it. */
  public static final class StepOptions {
    private final String id;
    private List<String> after = List.of();
    private Condition when;
    private ContextPath input;
    private String queue;
    private Retry retry;
    private Duration timeout;
    private String compensation;
    private Integer maxParallel;
    private Integer quorum;
    private ContextPath correlation;
    private TimeoutOutcome onTimeout;

    private StepOptions(String id) {
      this.id = id;
    }

    /** The steps that must be done first. */
    public StepOptions after(String... steps) {
      this.after = List.copyOf(Arrays.asList(steps));
      return this;
    }

    /** Runs the step only when {@code condition} holds; otherwise it is skipped. */
    public StepOptions when(Condition condition) {
      this.when = condition;
      return this;
    }

    /** Where the job's payload (or the child's input) is in the context. */
    public StepOptions input(String path) {
      this.input = WorkflowDefinition.Builder.path(id, "input", path);
      return this;
    }

    /** The queue of the step's jobs. */
    public StepOptions queue(String queue) {
      this.queue = queue;
      return this;
    }

    /** The retry policy of the step's jobs (its data only: predicates and listeners are code). */
    public StepOptions retry(Retry retry) {
      this.retry = retry;
      return this;
    }

    /** A job's time limit per attempt, or how long a wait waits at most. */
    public StepOptions timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    /** The job type that undoes the step when a compensating run unwinds. */
    public StepOptions compensation(String type) {
      this.compensation = type;
      return this;
    }

    /** How many of a fan-out's jobs may run at once. */
    public StepOptions maxParallel(int n) {
      this.maxParallel = n;
      return this;
    }

    /** How many of a fan-out's jobs must succeed for it to be done. */
    public StepOptions quorum(int n) {
      this.quorum = n;
      return this;
    }

    /** Where the key a signal must carry is in the context. */
    public StepOptions correlation(String path) {
      this.correlation = WorkflowDefinition.Builder.path(id, "correlation", path);
      return this;
    }

    /** What a wait's timeout does. */
    public StepOptions onTimeout(TimeoutOutcome outcome) {
      this.onTimeout = outcome;
      return this;
    }

    private void refuse(String option, boolean given, String appliesTo) {
      if (given) {
        throw new InvalidWorkflowException(
            List.of("step '" + id + "': " + option + " applies to " + appliesTo + " steps only"));
      }
    }
  }
}
