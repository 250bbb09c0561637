package io.taskmill;

import io.taskmill.event.Events;
import io.taskmill.handler.HandlerRegistry;
import io.taskmill.internal.Engine;
import io.taskmill.job.Enqueued;
import io.taskmill.job.JobId;
import io.taskmill.job.JobOptions;
import io.taskmill.job.JobRequest;
import io.taskmill.schedule.Schedules;
import java.util.List;

/** The public face of one started engine: the facade classes of this package over it. */
final class RunningTaskmill implements DrivenTaskmill {
  private final Engine engine;
  private final Jobs jobs;
  private final Queues queues;
  private final Cluster cluster;
  private final Access access;
  private final Workflows workflows;

  RunningTaskmill(Engine engine) {
    this.engine = engine;
    this.jobs = new Jobs(engine);
    this.queues = new Queues(engine);
    this.cluster = new Cluster(engine);
    this.access = new Access(engine);
    this.workflows = new Workflows(engine);
  }

  @Override
  public JobId enqueue(String type, Object payload, JobOptions options) {
    return engine.submitAll(List.of(JobRequest.of(type, payload, options))).getFirst().id();
  }

  @Override
  public List<Enqueued> submitAll(List<JobRequest> requests) {
    return engine.submitAll(requests);
  }

  @Override
  public Jobs jobs() {
    return jobs;
  }

  @Override
  public Queues queues() {
    return queues;
  }

  @Override
  public HandlerRegistry handlers() {
    return engine.handlers();
  }

  @Override
  public Cluster cluster() {
    return cluster;
  }

  @Override
  public Access access() {
    return access;
  }

  @Override
  public Workflows workflows() {
    return workflows;
  }

  @Override
  public Schedules schedules() {
    return engine.schedules();
  }

  @Override
  public Events events() {
    return engine.events();
  }

  @Override
  public String nodeId() {
    return engine.nodeId();
  }

  @Override
  public int runDueJobs() {
    return driven().runDueJobs();
  }

  @Override
  public int runRescuer() {
    return driven().runRescuer();
  }

  @Override
  public int runSchedules() {
    return driven().runSchedules();
  }

  @Override
  public boolean heartbeat() {
    return driven().heartbeat();
  }

  @Override
  public void renewLeases() {
    driven().renewLeases();
  }

  @Override
  public void close() {
    engine.close();
  }

  @Override
  public String toString() {
    return "Taskmill[node " + engine.nodeId() + "]";
  }

  /** The engine, when its caller drives it; its own threads would race a caller's passes. */
  private Engine driven() {
    if (!engine.isManual()) {
      throw new IllegalStateException(
          "this engine runs its own background threads; start it with "
              + "TaskmillBuilder.startDriven() to run its duties by hand");
    }
    return engine;
  }
}
