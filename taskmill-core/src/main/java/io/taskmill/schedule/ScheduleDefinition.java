package io.taskmill.schedule;

import io.taskmill.job.JobOptions;
import io.taskmill.job.JobRequest;
import java.time.Duration;
import java.time.Instant;

/**
 * What a user declares for a recurring job: a name, a trigger (a cron expression in a time zone, or
 * a fixed interval), the job each tick creates, and the misfire and overlap policies. Saving it
 * again unchanged changes nothing, so it can be declared in code at every start.
 *
 * <pre>{@code
 * ScheduleDefinition.cron("nightly-pack", "30 2 * * *").zone("Europe/Berlin")
 *     .job("build.pack", new Pack("release"))
 *     .overlap(OverlapPolicy.SKIP);
 * ScheduleDefinition.every("health-probe", Duration.ofSeconds(30)).job("health.probe", new Probe());
 * }</pre>
 *
 * @param cron a cron expression (5 or 6 fields, or a macro such as {@code @hourly}), or null for an
 *     interval schedule
 * @param zone the IANA time zone the cron expression reads wall-clock time in; null means UTC
 * @param every the interval of an interval schedule, or null for a cron schedule
 * @param anchor the instant an interval's ticks count from ({@code anchor + k·every}); null keeps
 *     the stored schedule's anchor, or starts from when it is first saved
 * @param payload the job's payload: an instance of the handler's payload type, or a {@link
 *     JobRequest.JsonPayload}
 * @param options queue, priority, retry, timeout and tags of the job; a tick sets its due time, so
 *     runAt, delay and idempotency key are refused
 */
public record ScheduleDefinition(
    String name,
    String cron,
    String zone,
    Duration every,
    Instant anchor,
    String type,
    Object payload,
    JobOptions options,
    MisfirePolicy misfire,
    OverlapPolicy overlap) {

  public ScheduleDefinition {
    options = options == null ? JobOptions.defaults() : options;
    misfire = misfire == null ? MisfirePolicy.fireOnce() : misfire;
    overlap = overlap == null ? OverlapPolicy.ALLOW : overlap;
  }

  /** A schedule that fires when {@code cron} matches the wall clock (UTC unless given a zone). */
  public static ScheduleDefinition cron(String name, String cron) {
    return new ScheduleDefinition(name, cron, null, null, null, null, null, null, null, null);
  }

  /** A schedule that fires every {@code every} of real time. */
  public static ScheduleDefinition every(String name, Duration every) {
    return new ScheduleDefinition(name, null, null, every, null, null, null, null, null, null);
  }

  /** The time zone of the cron expression, an IANA id such as {@code Europe/Berlin}. */
  public ScheduleDefinition zone(String zone) {
    return new ScheduleDefinition(
        name, cron, zone, every, anchor, type, payload, options, misfire, overlap);
  }

  /** The instant an interval schedule's ticks count from. */
  public ScheduleDefinition anchor(Instant anchor) {
    return new ScheduleDefinition(
        name, cron, zone, every, anchor, type, payload, options, misfire, overlap);
  }

  /** The job each tick creates. */
  public ScheduleDefinition job(String type, Object payload) {
    return new ScheduleDefinition(
        name, cron, zone, every, anchor, type, payload, options, misfire, overlap);
  }

  /** The job each tick creates, with options. */
  public ScheduleDefinition job(String type, Object payload, JobOptions options) {
    return new ScheduleDefinition(
        name, cron, zone, every, anchor, type, payload, options, misfire, overlap);
  }

  /** The job each tick creates, its payload given as JSON text. */
  public ScheduleDefinition jobJson(String type, String payloadJson, JobOptions options) {
    return job(type, new JobRequest.JsonPayload(payloadJson), options);
  }

  /** What happens to ticks missed by more than the misfire threshold (default FIRE_ONCE). */
  public ScheduleDefinition misfire(MisfirePolicy misfire) {
    return new ScheduleDefinition(
        name, cron, zone, every, anchor, type, payload, options, misfire, overlap);
  }

  /** What a tick does while the previous run is unfinished (default ALLOW). */
  public ScheduleDefinition overlap(OverlapPolicy overlap) {
    return new ScheduleDefinition(
        name, cron, zone, every, anchor, type, payload, options, misfire, overlap);
  }
}
