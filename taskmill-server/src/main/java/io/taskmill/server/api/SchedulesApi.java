package io.taskmill.server.api;

import io.taskmill.Taskmill;
import io.taskmill.access.Role;
import io.taskmill.job.InvalidJobException;
import io.taskmill.job.JobId;
import io.taskmill.job.Names;
import io.taskmill.schedule.CronExpression;
import io.taskmill.schedule.CronTrigger;
import io.taskmill.schedule.IntervalTrigger;
import io.taskmill.schedule.InvalidScheduleException;
import io.taskmill.schedule.JobTemplate;
import io.taskmill.schedule.MisfirePolicy;
import io.taskmill.schedule.OverlapPolicy;
import io.taskmill.schedule.Schedule;
import io.taskmill.schedule.ScheduleDefinition;
import io.taskmill.schedule.ScheduleRun;
import io.taskmill.schedule.Trigger;
import io.taskmill.schedule.UnknownScheduleException;
import io.taskmill.server.http.Exchange;
import io.taskmill.server.http.Json;
import io.taskmill.server.http.LogText;
import io.taskmill.server.http.Principal;
import io.taskmill.server.http.Problem;
import io.taskmill.server.http.Route;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code /api/v1/schedules}: declare recurring jobs by name (an idempotent PUT), list, pause,
 * resume, trigger by hand, read their run history and delete them. Reads need a viewer key, changes
 * an admin key. A key limited to some queues sees only the schedules whose job goes to one of them:
 * any other is 404, worded as for a schedule that does not exist, and declaring one for another
 * queue is 403.
 */
public final class SchedulesApi {
  private final Taskmill taskmill;
  private final Submissions submissions;

  public SchedulesApi(Taskmill taskmill) {
    this.taskmill = taskmill;
    this.submissions = new Submissions(taskmill);
  }

  public List<Route> routes() {
    return List.of(
        Route.read("GET", "/api/v1/schedules", Role.VIEWER, this::list),
        Route.read("GET", "/api/v1/schedules/{name}", Role.VIEWER, this::get),
        Route.change("PUT", "/api/v1/schedules/{name}", Role.ADMIN, "schedule.put", this::put),
        Route.change(
            "DELETE", "/api/v1/schedules/{name}", Role.ADMIN, "schedule.delete", this::delete),
        Route.change(
            "POST",
            "/api/v1/schedules/{name}/pause",
            Role.ADMIN,
            "schedule.pause",
            ex -> change(ex, taskmill.schedules()::pause)),
        Route.change(
            "POST",
            "/api/v1/schedules/{name}/resume",
            Role.ADMIN,
            "schedule.resume",
            ex -> change(ex, taskmill.schedules()::resume)),
        Route.change(
            "POST",
            "/api/v1/schedules/{name}/trigger",
            Role.ADMIN,
            "schedule.trigger",
            this::trigger),
        Route.read("GET", "/api/v1/schedules/{name}/runs", Role.VIEWER, this::runs));
  }

  private void put(Exchange ex) throws Exception {
    ex.onlyQuery(Set.of());
    String name = name(ex);
    ex.resource("schedule " + name);
    Body body = Body.of(ex.json(), "ScheduleDefinition", "body");
    ScheduleDefinition definition = definition(name, body);
    Principal who = ex.principal();
    if (who.scoped()) {
      hideForeign(ex, name, () -> Problem.notFound("no schedule named '" + name + "'"));
      String queue = submissions.queueOf(definition.type(), definition.options());
      if (!who.mayUse(queue)) {
        throw who.foreignQueue(queue, "job.queue");
      }
    }
    JsonNode pausedNode = body.node("paused");
    if (pausedNode != null && !pausedNode.isNull() && !pausedNode.isBoolean()) {
      throw Problem.badRequest(
          "paused must be true or false, was " + Fields.kind(pausedNode), "paused");
    }
    // Whether it existed decides 201 or 200; a concurrent create in between only changes that.
    boolean existed = engine(() -> taskmill.schedules().get(name)).isPresent();
    Schedule schedule;
    try {
      schedule = taskmill.schedules().put(definition);
    } catch (InvalidJobException e) {
      throw Problem.unprocessable(LogText.clean(e.getMessage()), "job");
    } catch (InvalidScheduleException e) {
      throw Problem.unprocessable(LogText.clean(e.getMessage()), null);
    } catch (IllegalStateException e) {
      throw Problem.conflict(LogText.clean(e.getMessage()));
    }
    // Absent, paused keeps what the schedule had (a new one runs), as the engine's put does.
    if (pausedNode != null
        && pausedNode.isBoolean()
        && pausedNode.asBoolean() != schedule.paused()) {
      schedule =
          engine(
              () ->
                  pausedNode.asBoolean()
                      ? taskmill.schedules().pause(name)
                      : taskmill.schedules().resume(name));
    }
    ex.reply(existed ? 200 : 201, json(schedule));
  }

  /**
   * The definition the body declares. The trigger's parts are checked here, not left to the engine,
   * so that a problem names the field it is in.
   */
  private ScheduleDefinition definition(String name, Body body) {
    String cron = body.text("cron");
    String every = body.text("every");
    if ((cron == null) == (every == null)) {
      throw Problem.badRequest(
          "give exactly one of cron (a cron expression such as "
              + "\"0 */5 * * * *\") and every (an ISO-8601 duration such as PT30S), "
              + (cron == null ? "not neither" : "not both"),
          cron == null ? "cron" : "every");
    }
    String zone = body.text("zone");
    Instant anchor = Fields.instant(body.text("anchor"), "anchor");
    ScheduleDefinition d;
    if (cron != null) {
      if (anchor != null) {
        throw Problem.badRequest(
            "anchor applies to every schedules only; a cron expression " + "fixes its own times",
            "anchor");
      }
      invalid(() -> CronExpression.parse(cron), "cron");
      if (zone != null) {
        invalid(() -> Trigger.zone(zone), "zone");
      }
      d = ScheduleDefinition.cron(name, cron).zone(zone);
    } else {
      if (zone != null) {
        throw Problem.badRequest(
            "zone applies to cron schedules only; an every schedule runs " + "in real time",
            "zone");
      }
      Duration interval = Fields.duration(every, "every");
      invalid(() -> Trigger.every(interval, Instant.EPOCH), "every");
      d = ScheduleDefinition.every(name, interval).anchor(anchor);
    }
    String misfire = body.text("misfire");
    if (misfire != null) {
      d = d.misfire(invalid(() -> MisfirePolicy.parse(misfire), "misfire"));
    }
    String overlap = body.text("overlap");
    if (overlap != null) {
      d = d.overlap(overlap(overlap));
    }
    var job = submissions.template(body.node("job"), "job");
    return d.jobJson(job.type(), job.payloadJson(), job.options());
  }

  private static OverlapPolicy overlap(String text) {
    try {
      return OverlapPolicy.valueOf(text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw Problem.unprocessable(
          "overlap must be allow, skip or wait, was '" + Fields.clip(text) + "'", "overlap");
    }
  }

  /** Runs a check of one field, turning the engine's refusal into a 422 naming that field. */
  private static <T> T invalid(Supplier<T> check, String field) {
    try {
      return check.get();
    } catch (InvalidScheduleException e) {
      throw Problem.unprocessable(LogText.clean(e.getMessage()), field);
    }
  }

  private void get(Exchange ex) {
    ex.onlyQuery(Set.of());
    String name = name(ex);
    ex.reply(
        200,
        json(
            engine(() -> taskmill.schedules().get(name))
                .filter(s -> ex.principal().mayUse(s.job().queue()))
                .orElseThrow(() -> Problem.notFound("no schedule named '" + name + "'"))));
  }

  /**
   * Answers {@code notFound} (the route's own 404 for a schedule that does not exist) when the
   * schedule exists but its job goes to a queue the caller may not use, so a queue-scoped key
   * cannot tell the two apart.
   */
  private void hideForeign(Exchange ex, String name, Supplier<Problem> notFound) {
    if (ex.principal().scoped()
        && engine(() -> taskmill.schedules().get(name))
            .filter(s -> !ex.principal().mayUse(s.job().queue()))
            .isPresent()) {
      throw notFound.get();
    }
  }

  /**
   * {@link #hideForeign} for the routes whose 404 is the engine's {@link UnknownScheduleException}.
   */
  private void hideForeign(Exchange ex, String name) {
    hideForeign(
        ex,
        name,
        () -> Problem.notFound(LogText.clean(new UnknownScheduleException(name).getMessage())));
  }

  private void list(Exchange ex) {
    ex.onlyQuery(Set.of("limit", "cursor"));
    int limit = Fields.limit(ex.query("limit"));
    String cursor = ex.query("cursor");
    if (cursor != null && !Names.isScheduleName(cursor)) {
      throw Problem.badRequest(
          "cursor must be a nextCursor value from an earlier page, was '"
              + Fields.clip(cursor)
              + "'",
          "cursor");
    }
    List<Schedule> page = visiblePage(ex.principal(), cursor, limit + 1);
    var json = Json.object();
    var items = json.putArray("items");
    page.stream().limit(limit).forEach(s -> items.add(json(s)));
    Fields.page(json, page.size() > limit ? page.get(limit - 1).name() : null);
    ex.reply(200, json);
  }

  /**
   * Up to {@code size} schedules after {@code cursor} the caller may see. For a scoped caller the
   * engine's pages are read on until enough of its own are found or none are left, so a page is
   * never cut short by other queues' schedules in between.
   */
  private List<Schedule> visiblePage(Principal who, String cursor, int size) {
    if (!who.scoped()) {
      return taskmill.schedules().list(cursor, size);
    }
    var out = new ArrayList<Schedule>();
    String after = cursor;
    while (out.size() < size) {
      List<Schedule> page = taskmill.schedules().list(after, size);
      page.stream()
          .filter(s -> who.mayUse(s.job().queue()))
          .limit(size - out.size())
          .forEach(out::add);
      if (page.size() < size) {
        break;
      }
      after = page.getLast().name();
    }
    return out;
  }

  private void delete(Exchange ex) {
    ex.onlyQuery(Set.of());
    String name = name(ex);
    ex.resource("schedule " + name);
    hideForeign(ex, name, () -> Problem.notFound("no schedule named '" + name + "'"));
    if (!engine(() -> taskmill.schedules().delete(name))) {
      throw Problem.notFound("no schedule named '" + name + "'");
    }
    ex.replyEmpty(204);
  }

  private void change(Exchange ex, Function<String, Schedule> action) {
    ex.onlyQuery(Set.of());
    String name = name(ex);
    ex.resource("schedule " + name);
    hideForeign(ex, name);
    ex.reply(200, json(engine(() -> action.apply(name))));
  }

  /** Creates the schedule's job now, outside its ticks: 201 with that job. */
  private void trigger(Exchange ex) {
    ex.onlyQuery(Set.of());
    String name = name(ex);
    ex.resource("schedule " + name);
    hideForeign(ex, name);
    JobId id = engine(() -> taskmill.schedules().trigger(name));
    ex.reply(201, JobJson.of(taskmill.jobs().get(id).orElseThrow()));
  }

  private void runs(Exchange ex) {
    ex.onlyQuery(Set.of("limit"));
    String name = name(ex);
    int limit = Fields.limit(ex.query("limit"));
    hideForeign(ex, name);
    var json = Json.object();
    var items = json.putArray("items");
    engine(() -> taskmill.schedules().history(name, limit)).forEach(r -> items.add(json(r)));
    Fields.page(json, null);
    ex.reply(200, json);
  }

  /** The {name} of the path, checked against the engine's rule for schedule names. */
  private static String name(Exchange ex) {
    String name = ex.param("name");
    if (!Names.isScheduleName(name)) {
      throw Problem.badRequest(
          "schedule name '" + Fields.clip(name) + "' is invalid: " + Names.SCHEDULE_RULE, "name");
    }
    return name;
  }

  /** Calls the engine, answering 404 for an unknown schedule and 409 when it kept changing. */
  private static <T> T engine(Supplier<T> call) {
    try {
      return call.get();
    } catch (UnknownScheduleException e) {
      throw Problem.notFound(LogText.clean(e.getMessage()));
    } catch (IllegalStateException e) {
      throw Problem.conflict(LogText.clean(e.getMessage()));
    }
  }

  static ObjectNode json(Schedule s) {
    var json = Json.object().put("name", s.name());
    switch (s.trigger()) {
      case CronTrigger c ->
          json.put("cron", c.expression().toString())
              .put("zone", c.zone().equals(ZoneOffset.UTC) ? "UTC" : c.zone().getId());
      case IntervalTrigger i -> {
        json.put("every", i.every().toString());
        JobJson.time(json, "anchor", i.anchor());
      }
    }
    json.put("misfire", s.misfire().toString().toLowerCase(Locale.ROOT))
        .put("overlap", s.overlap().name().toLowerCase(Locale.ROOT))
        .put("paused", s.paused());
    JobJson.time(json, "nextFireAt", s.nextFireAt());
    JobJson.time(json, "lastFireAt", s.lastFireAt());
    json.put("lastJobId", s.lastJobId() == null ? null : s.lastJobId().toString());
    json.set("job", json(s.job()));
    JobJson.time(json, "createdAt", s.createdAt());
    JobJson.time(json, "updatedAt", s.updatedAt());
    return json.put("version", s.version());
  }

  private static ObjectNode json(JobTemplate t) {
    var json =
        Json.object().put("type", t.type()).put("queue", t.queue()).put("priority", t.priority());
    Json.putStored(json, "payload", t.payloadJson());
    json.put("maxAttempts", t.maxAttempts());
    json.put("timeout", t.timeout() == null ? null : t.timeout().toString());
    var tags = json.putArray("tags");
    t.tags().forEach(tags::add);
    return json;
  }

  private static ObjectNode json(ScheduleRun r) {
    var json = Json.object();
    JobJson.time(json, "fireAt", r.fireAt());
    json.put("outcome", r.outcome().name())
        .put("jobId", r.jobId() == null ? null : r.jobId().toString())
        .put("jobState", r.jobState() == null ? null : r.jobState().name())
        .put("note", r.note());
    JobJson.time(json, "recordedAt", r.recordedAt());
    return json;
  }
}
