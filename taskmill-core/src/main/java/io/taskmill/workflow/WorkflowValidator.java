package io.taskmill.workflow;

import io.taskmill.job.Names;
import io.taskmill.workflow.WaitStep.WaitFor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Checks a definition before it is registered: names, handler types, the DAG (dangling
 * dependencies, cycles, steps that can never run) and what conditions and paths read. Every problem
 * is reported, each naming its step.
 */
public final class WorkflowValidator {
  /** What a workflow name must look like. */
  public static final String NAME_RULE =
      "a workflow name holds letters, digits, '_', '-', '.' or ':', starts with a letter or digit"
          + " and is at most 200 characters, like 'order-pipeline'";

  /** What a step id must look like. */
  public static final String STEP_RULE =
      "a step id holds letters, digits, '_' or '-', starts with a letter and is at most 100"
          + " characters, like 'charge-card'";

  /** What a signal name must look like. */
  public static final String SIGNAL_RULE =
      "a signal name holds letters, digits, '_', '-', '.' or ':', starts with a letter or digit"
          + " and is at most 200 characters, like 'payment.received'";

  /** The most parallel jobs a fan-out may ask for. */
  public static final int MAX_PARALLEL = 10_000;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,199}");
  private static final Pattern STEP = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,99}");

  private final Predicate<String> typeKnown;
  private final Predicate<String> definitionKnown;

  /**
   * A validator that knows which job types have a handler and which workflow names are registered
   * (for sub-workflow steps).
   */
  public WorkflowValidator(Predicate<String> typeKnown, Predicate<String> definitionKnown) {
    this.typeKnown = typeKnown;
    this.definitionKnown = definitionKnown;
  }

  /** Whether {@code name} is a valid workflow name. */
  public static boolean isWorkflowName(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  /** Whether {@code name} is a valid signal name. */
  public static boolean isSignalName(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  /**
   * Refuses {@code definition} with every problem found.
   *
   * @throws InvalidWorkflowException listing them
   */
  public void validate(WorkflowDefinition definition) {
    List<String> problems = problems(definition);
    if (!problems.isEmpty()) {
      throw new InvalidWorkflowException(problems);
    }
  }

  /** Every problem of {@code definition}; empty when it may be registered. */
  public List<String> problems(WorkflowDefinition d) {
    var problems = new ArrayList<String>();
    if (!isWorkflowName(d.name())) {
      problems.add("name: '" + d.name() + "' is not a workflow name; " + NAME_RULE);
    }
    if (d.contextLimitBytes() < 1
        || d.contextLimitBytes() > WorkflowDefinition.MAX_CONTEXT_LIMIT_BYTES) {
      problems.add(
          "contextLimitBytes: must be from 1 to "
              + WorkflowDefinition.MAX_CONTEXT_LIMIT_BYTES
              + ", was "
              + d.contextLimitBytes());
    }
    if (d.steps().isEmpty()) {
      problems.add("steps: a workflow needs at least one step");
      return problems;
    }
    var byId = new LinkedHashMap<String, Step>();
    for (Step s : d.steps()) {
      if (!STEP.matcher(String.valueOf(s.id())).matches()) {
        problems.add("step '" + s.id() + "': the id is not valid; " + STEP_RULE);
      } else if (byId.putIfAbsent(s.id(), s) != null) {
        problems.add("step '" + s.id() + "': the id is used by two steps");
      }
    }
    for (Step s : byId.values()) {
      checkDependencies(s, byId, problems);
      checkStep(d, s, problems);
    }
    checkGraph(byId, problems);
    for (Step s : byId.values()) {
      checkReads(s, byId, problems);
    }
    return problems;
  }

  private static void checkDependencies(Step s, Map<String, Step> byId, List<String> problems) {
    var seen = new HashSet<String>();
    for (String dep : s.dependsOn()) {
      if (!seen.add(dep)) {
        problems.add("step '" + s.id() + "': depends on '" + dep + "' twice");
      } else if (dep.equals(s.id())) {
        problems.add("step '" + s.id() + "': depends on itself");
      } else if (!byId.containsKey(dep)) {
        problems.add(
            "step '"
                + s.id()
                + "': depends on '"
                + dep
                + "', which is not a step of this workflow");
      }
    }
  }

  private void checkStep(WorkflowDefinition d, Step s, List<String> problems) {
    String at = "step '" + s.id() + "': ";
    switch (s) {
      case TaskStep t -> {
        checkType(at, "type", t.type(), problems);
        checkJobOptions(at, t.queue(), t.timeout(), problems);
        if (t.compensation() != null) {
          checkType(at, "compensation", t.compensation(), problems);
        }
      }
      case FanOutStep f -> {
        checkType(at, "type", f.type(), problems);
        checkJobOptions(at, f.queue(), f.timeout(), problems);
        if (f.compensation() != null) {
          checkType(at, "compensation", f.compensation(), problems);
        }
        if (f.items() == null) {
          problems.add(at + "a fan-out needs items, the path of a list in the context");
        }
        if (f.maxParallel() < 1 || f.maxParallel() > MAX_PARALLEL) {
          problems.add(
              at + "maxParallel must be from 1 to " + MAX_PARALLEL + ", was " + f.maxParallel());
        }
        if (f.quorum() != null && f.quorum() < 1) {
          problems.add(at + "quorum must be at least 1, was " + f.quorum());
        }
      }
      case WaitStep w -> {
        switch (w.waitFor()) {
          case null -> problems.add(at + "a wait needs a signal, a timer or an approval");
          case WaitFor.Signal sig -> {
            if (!isSignalName(sig.name())) {
              problems.add(at + "'" + sig.name() + "' is not a signal name; " + SIGNAL_RULE);
            }
          }
          case WaitFor.Timer timer -> {
            if (!positive(timer.delay())) {
              problems.add(at + "a timer needs a positive delay, was " + timer.delay());
            }
          }
          case WaitFor.Approval a -> {}
        }
        if (w.timeout() != null && !positive(w.timeout())) {
          problems.add(at + "timeout must be positive, was " + w.timeout());
        }
      }
      case SubWorkflowStep sub -> {
        if (!isWorkflowName(sub.definition())) {
          problems.add(at + "'" + sub.definition() + "' is not a workflow name; " + NAME_RULE);
        } else if (sub.definition().equals(d.name())) {
          problems.add(at + "starts workflow '" + d.name() + "' itself, which would never end");
        } else if (!definitionKnown.test(sub.definition())) {
          problems.add(at + "starts workflow '" + sub.definition() + "', which is not registered");
        }
      }
    }
  }

  private void checkType(String at, String field, String type, List<String> problems) {
    if (!Names.isJobType(type)) {
      problems.add(at + field + " '" + type + "' is not a job type; " + Names.TYPE_RULE);
    } else if (!typeKnown.test(type)) {
      problems.add(at + field + " '" + type + "' has no registered handler");
    }
  }

  private static void checkJobOptions(
      String at, String queue, Duration timeout, List<String> problems) {
    if (queue != null && !Names.isQueueName(queue)) {
      problems.add(at + "queue '" + queue + "' is not a queue name; " + Names.QUEUE_RULE);
    }
    if (timeout != null && !positive(timeout)) {
      problems.add(at + "timeout must be positive, was " + timeout);
    }
  }

  private static boolean positive(Duration d) {
    return d != null && !d.isNegative() && !d.isZero();
  }

  /** Cycles, in the order their steps are listed, and the steps that wait on one. */
  private static void checkGraph(Map<String, Step> byId, List<String> problems) {
    var state = new HashMap<String, Integer>(); // 1 on the path, 2 done
    var reported = new HashSet<Set<String>>();
    var inCycle = new LinkedHashSet<String>();
    for (String id : byId.keySet()) {
      findCycles(id, byId, state, new ArrayList<>(), reported, inCycle, problems);
    }
    if (inCycle.isEmpty()) {
      return;
    }
    // A step downstream of a cycle waits for ever.
    for (Step s : byId.values()) {
      if (inCycle.contains(s.id())) {
        continue;
      }
      String blocker = cycleAncestor(s.id(), byId, inCycle, new HashSet<>());
      if (blocker != null) {
        problems.add(
            "step '"
                + s.id()
                + "': can never run, it waits on '"
                + blocker
                + "', which is part of a cycle");
      }
    }
  }

  private static void findCycles(
      String id,
      Map<String, Step> byId,
      Map<String, Integer> state,
      List<String> path,
      Set<Set<String>> reported,
      Set<String> inCycle,
      List<String> problems) {
    Integer st = state.get(id);
    if (st != null && st == 2) {
      return;
    }
    if (st != null && st == 1) {
      List<String> cycle = new ArrayList<>(path.subList(path.indexOf(id), path.size()));
      if (reported.add(new HashSet<>(cycle))) {
        inCycle.addAll(cycle);
        cycle.add(id);
        problems.add(
            "steps "
                + String.join(" → ", cycle.stream().map(c -> "'" + c + "'").toList())
                + " form a cycle: each waits on the one before it");
      }
      return;
    }
    state.put(id, 1);
    path.add(id);
    for (String dep : byId.get(id).dependsOn()) {
      if (byId.containsKey(dep) && !dep.equals(id)) {
        findCycles(dep, byId, state, path, reported, inCycle, problems);
      }
    }
    path.removeLast();
    state.put(id, 2);
  }

  private static String cycleAncestor(
      String id, Map<String, Step> byId, Set<String> inCycle, Set<String> seen) {
    for (String dep : byId.get(id).dependsOn()) {
      if (!byId.containsKey(dep) || !seen.add(dep)) {
        continue;
      }
      if (inCycle.contains(dep)) {
        return dep;
      }
      String found = cycleAncestor(dep, byId, inCycle, seen);
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  /**
   * A path whose first field is a step's id reads that step's result: only a step it depends on
   * (directly or not) is sure to have one when it starts.
   */
  private static void checkReads(Step s, Map<String, Step> byId, List<String> problems) {
    var reads = new LinkedHashMap<String, ContextPath>();
    collectReads(s.when(), "condition", reads);
    switch (s) {
      case TaskStep t -> put(reads, "input", t.input());
      case FanOutStep f -> put(reads, "items", f.items());
      case SubWorkflowStep sub -> put(reads, "input", sub.input());
      case WaitStep w -> {
        if (w.waitFor() instanceof WaitFor.Signal sig) {
          put(reads, "correlation", sig.correlation());
        }
      }
    }
    Set<String> upstream = null;
    for (var read : reads.entrySet()) {
      String root = (String) read.getValue().segments().getFirst();
      if (!byId.containsKey(root)) {
        continue; // the run's input
      }
      if (upstream == null) {
        upstream = ancestors(s.id(), byId);
      }
      String prefix =
          "step '"
              + s.id()
              + "': its "
              + read.getKey().replaceAll(" #\\d+$", "")
              + " reads '"
              + read.getValue()
              + "', ";
      if (root.equals(s.id())) {
        problems.add(prefix + "its own result, which it cannot have yet");
      } else if (!upstream.contains(root)) {
        problems.add(
            prefix
                + "the result of step '"
                + root
                + "', which it does not depend on (directly or through others)");
      }
    }
  }

  private static void put(Map<String, ContextPath> reads, String what, ContextPath path) {
    if (path != null) {
      reads.put(what, path);
    }
  }

  private static void collectReads(Condition c, String what, Map<String, ContextPath> reads) {
    switch (c) {
      case null -> {}
      case Condition.Compare cmp -> reads.put(what + " #" + reads.size(), cmp.path());
      case Condition.Exists ex -> reads.put(what + " #" + reads.size(), ex.path());
      case Condition.And and -> and.all().forEach(x -> collectReads(x, what, reads));
      case Condition.Or or -> or.any().forEach(x -> collectReads(x, what, reads));
      case Condition.Not not -> collectReads(not.condition(), what, reads);
    }
  }

  private static Set<String> ancestors(String id, Map<String, Step> byId) {
    var out = new HashSet<String>();
    var todo = new ArrayList<>(byId.get(id).dependsOn());
    while (!todo.isEmpty()) {
      String dep = todo.removeLast();
      if (byId.containsKey(dep) && out.add(dep)) {
        todo.addAll(byId.get(dep).dependsOn());
      }
    }
    return out;
  }
}
