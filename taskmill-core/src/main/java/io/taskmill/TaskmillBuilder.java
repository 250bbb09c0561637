package io.taskmill;

import io.taskmill.config.TaskmillConfigException;
import io.taskmill.handler.HandlerInfo;
import io.taskmill.handler.JobHandler;
import io.taskmill.handler.ResultHandler;
import io.taskmill.internal.Engine;
import io.taskmill.internal.EngineConfig;
import io.taskmill.internal.HandlerDef;
import io.taskmill.internal.JsonCodec;
import io.taskmill.job.JobOptions;
import io.taskmill.job.LogLevel;
import io.taskmill.job.Names;
import io.taskmill.job.RateLimit;
import io.taskmill.job.Retry;
import io.taskmill.schedule.ScheduleDefinition;
import io.taskmill.spi.Store;
import io.taskmill.spi.StoreProvider;
import io.taskmill.spi.StoreSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Configures and starts a {@link Taskmill} engine. Settings are only recorded here; {@link
 * #start()} checks them all at once and reports every problem together, naming the setting, the bad
 * value and what is allowed. Nothing is registered unless everything is valid.
 */
public final class TaskmillBuilder {
  /** The queue jobs go to when neither the handler nor the enqueue names one. */
  public static final String DEFAULT_QUEUE = "default";

  /** The data directory used when none is set. */
  public static final Path DEFAULT_DATA_DIR = Path.of("taskmill-data");

  /** How long audit trail entries are kept when {@link #retainAudit} is not set. */
  public static final Duration DEFAULT_RETAIN_AUDIT = Duration.ofDays(365);

  /**
   * The shortest audit retention allowed: PostgreSQL's tm_audit refuses to delete younger entries
   * (migration V13), and this must say the same.
   */
  public static final Duration MIN_RETAIN_AUDIT = Duration.ofDays(30);

  private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9_.:@-]{1,100}");

  private record Registration(
      String type,
      Class<?> payloadType,
      HandlerDef.Invoker invoker,
      boolean returnsResult,
      HandlerSettings settings) {}

  private Path dataDir;
  private String inMemoryName;
  private String jdbcUrl;
  private String dbUser;
  private String dbPassword;
  private Store store;
  private final List<Registration> handlers = new ArrayList<>();
  private final Map<String, QueueSettings> queues = new LinkedHashMap<>();
  private final List<String> earlyProblems = new ArrayList<>();
  private Retry defaultRetry = Retry.defaultPolicy();
  private Duration defaultTimeout;
  private Duration leaseDuration = Duration.ofSeconds(15);
  private Duration pollInterval = Duration.ofSeconds(1);
  private Duration rescueInterval = Duration.ofSeconds(2);
  private Duration retainSucceeded = Duration.ofDays(7);
  private Duration retainFinished = Duration.ofDays(30);
  private Duration retainAudit = DEFAULT_RETAIN_AUDIT;
  private Duration misfireThreshold = Duration.ofMinutes(1);
  private final List<ScheduleDefinition> schedules = new ArrayList<>();
  private Duration shutdownGrace = Duration.ofSeconds(30);
  private Duration timeoutGrace = Duration.ofSeconds(10);
  private int claimBatchSize = 100;
  private int completionBatchSize = 500;
  private int poolSize = 8;
  private int maxLogLinesPerJob = 200;
  private LogLevel jobLogLevel = LogLevel.INFO;
  private String nodeId;
  private Clock clock;

  TaskmillBuilder() {}

  /**
   * Keeps the embedded database (H2 file) in {@code dir}; the default is {@code ./taskmill-data}.
   */
  public TaskmillBuilder dataDir(Path dir) {
    this.dataDir = dir;
    return this;
  }

  /** Uses a private in-memory database that vanishes on close (for tests and demos). */
  public TaskmillBuilder inMemory() {
    this.inMemoryName = "taskmill-" + UUID.randomUUID();
    return this;
  }

  /** Uses the database at {@code url} (user and password may be null). */
  public TaskmillBuilder jdbcUrl(String url, String user, String password) {
    this.jdbcUrl = url;
    this.dbUser = user;
    this.dbPassword = password;
    return this;
  }

  /** Uses this store instead of opening one; the caller keeps ownership and closes it. */
  public TaskmillBuilder store(Store store) {
    this.store = store;
    return this;
  }

  /** Connections in the database pool (default 8). */
  public TaskmillBuilder poolSize(int n) {
    this.poolSize = n;
    return this;
  }

  /** Registers a handler for {@code type} with default settings. */
  public <P> TaskmillBuilder handler(String type, Class<P> payloadType, JobHandler<P> handler) {
    return handler(type, payloadType, handler, s -> {});
  }

  /** Registers a handler for {@code type} with its default settings adjusted. */
  public <P> TaskmillBuilder handler(
      String type,
      Class<P> payloadType,
      JobHandler<P> handler,
      Consumer<HandlerSettings> settings) {
    HandlerDef.Invoker invoker =
        handler == null
            ? null
            : (p, ctx) -> {
              handler.run(payloadType.cast(p), ctx);
              return null;
            };
    return register(type, payloadType, invoker, false, settings);
  }

  /** Registers a handler whose return value is stored as the job's result. */
  public <P, R> TaskmillBuilder resultHandler(
      String type, Class<P> payloadType, ResultHandler<P, R> handler) {
    return resultHandler(type, payloadType, handler, s -> {});
  }

  /** Registers a result-returning handler with its default settings adjusted. */
  public <P, R> TaskmillBuilder resultHandler(
      String type,
      Class<P> payloadType,
      ResultHandler<P, R> handler,
      Consumer<HandlerSettings> settings) {
    HandlerDef.Invoker invoker =
        handler == null ? null : (p, ctx) -> handler.run(payloadType.cast(p), ctx);
    return register(type, payloadType, invoker, true, settings);
  }

  private TaskmillBuilder register(
      String type,
      Class<?> payloadType,
      HandlerDef.Invoker invoker,
      boolean returnsResult,
      Consumer<HandlerSettings> configure) {
    var settings = new HandlerSettings();
    if (configure != null) {
      configure.accept(settings);
    }
    handlers.add(new Registration(type, payloadType, invoker, returnsResult, settings));
    return this;
  }

  /** Declares a queue served by this node. The {@code default} queue always exists. */
  public TaskmillBuilder queue(String name, Consumer<QueueSettings> configure) {
    if (queues.containsKey(name)) {
      earlyProblems.add("queue '" + name + "' is declared twice; declare each queue once");
    }
    var settings = new QueueSettings();
    if (configure != null) {
      configure.accept(settings);
    }
    queues.put(name, settings);
    return this;
  }

  /** The retry policy of jobs whose handler and options name none. */
  public TaskmillBuilder defaultRetry(Retry retry) {
    this.defaultRetry = retry;
    return this;
  }

  /** The per-attempt timeout of jobs whose handler and options name none (default: none). */
  public TaskmillBuilder defaultTimeout(Duration timeout) {
    this.defaultTimeout = timeout;
    return this;
  }

  /**
   * How long a claim holds a job without renewal (default 15 s). The node's heartbeat renews its
   * leases every third of it; a node silent for this long is declared dead and its jobs run
   * elsewhere, and the leader's own term lasts as long.
   */
  public TaskmillBuilder leaseDuration(Duration d) {
    this.leaseDuration = d;
    return this;
  }

  /**
   * How often the dispatcher looks for work it was not told about (default 1 s). In-process
   * enqueues and due times wake it at once; this is only the fallback.
   */
  public TaskmillBuilder pollInterval(Duration d) {
    this.pollInterval = d;
    return this;
  }

  /** How often the leader looks for dead nodes and expired leases (default 2 s). */
  public TaskmillBuilder rescueInterval(Duration d) {
    this.rescueInterval = d;
    return this;
  }

  /** How long {@code close()} waits for running jobs before releasing them (default 30 s). */
  public TaskmillBuilder shutdownGrace(Duration d) {
    this.shutdownGrace = d;
    return this;
  }

  /**
   * How long a timed-out handler may ignore its interrupt before the attempt is recorded as failed
   * anyway (default 10 s); its thread keeps its slot until it really ends.
   */
  public TaskmillBuilder timeoutGrace(Duration d) {
    this.timeoutGrace = d;
    return this;
  }

  /** Most jobs claimed in one database round trip (default 100). */
  public TaskmillBuilder claimBatchSize(int n) {
    this.claimBatchSize = n;
    return this;
  }

  /** Most attempt outcomes written in one transaction (default 500). */
  public TaskmillBuilder completionBatchSize(int n) {
    this.completionBatchSize = n;
    return this;
  }

  /** Most log lines kept per job (default 200); later lines go to SLF4J only. */
  public TaskmillBuilder maxLogLinesPerJob(int n) {
    this.maxLogLinesPerJob = n;
    return this;
  }

  /** Lowest level of job log lines stored with the job (default INFO). */
  public TaskmillBuilder jobLogLevel(LogLevel level) {
    this.jobLogLevel = level;
    return this;
  }

  /** This node's id in leases and events (default: host-pid-random). */
  public TaskmillBuilder nodeId(String id) {
    this.nodeId = id;
    return this;
  }

  /**
   * The clock for due times, leases and backoff, for tests that pass a fake one. Without it the
   * engine keeps time by the store's clock, so nodes sharing a database agree whatever their own
   * clocks say.
   */
  public TaskmillBuilder clock(Clock clock) {
    this.clock = clock;
    if (clock == null) {
      earlyProblems.add("clock must not be null; leave it unset to follow the store's clock");
    }
    return this;
  }

  /** How long succeeded jobs are kept before the leader deletes them (default 7 days). */
  public TaskmillBuilder retainSucceeded(Duration d) {
    this.retainSucceeded = d;
    return this;
  }

  /**
   * How long dead and cancelled jobs are kept before the leader deletes them (default 30 days);
   * jobs of a type no node knows are never finished, so never deleted.
   */
  public TaskmillBuilder retainFinished(Duration d) {
    this.retainFinished = d;
    return this;
  }

  /**
   * How long audit trail entries (a server's record of who changed what) are kept before the leader
   * deletes them (default {@link #DEFAULT_RETAIN_AUDIT}, at least {@link #MIN_RETAIN_AUDIT}). The
   * minimum is the database's: on PostgreSQL the audit table refuses to delete younger entries, so
   * no setting, bug or stolen login can erase recent history.
   */
  public TaskmillBuilder retainAudit(Duration d) {
    this.retainAudit = d;
    return this;
  }

  /**
   * How late a schedule's tick may fire and still count as on time (default 1 minute). Ticks later
   * than this (the cluster was down, or the schedule paused) are handled by the schedule's misfire
   * policy; ticks within it always fire, so a leader failover loses none.
   */
  public TaskmillBuilder misfireThreshold(Duration d) {
    this.misfireThreshold = d;
    return this;
  }

  /**
   * Declares a schedule, saved at start: an unchanged definition changes nothing (its next tick and
   * paused state stay), so every node may declare it at every start.
   */
  public TaskmillBuilder schedule(ScheduleDefinition definition) {
    if (definition == null) {
      earlyProblems.add("schedule definition must not be null");
    } else if (schedules.stream()
        .anyMatch(d -> d.name() != null && d.name().equals(definition.name()))) {
      earlyProblems.add("schedule '" + definition.name() + "' is declared twice");
    } else {
      schedules.add(definition);
    }
    return this;
  }

  /**
   * Applies settings from {@code TASKMILL_*} environment variables: {@code TASKMILL_DB_URL}, {@code
   * TASKMILL_DB_USER}, {@code TASKMILL_DB_PASSWORD}, {@code TASKMILL_DATA_DIR}, {@code
   * TASKMILL_NODE_ID} and {@code TASKMILL_POOL_SIZE}. Unset variables change nothing; call it
   * before settings that should win over the environment.
   */
  public TaskmillBuilder fromEnvironment() {
    return fromEnvironment(System.getenv());
  }

  /** As {@link #fromEnvironment()}, reading the given variables (for tests and launchers). */
  public TaskmillBuilder fromEnvironment(Map<String, String> env) {
    String url = blankToNull(env.get("TASKMILL_DB_URL"));
    if (url != null) {
      jdbcUrl(url, blankToNull(env.get("TASKMILL_DB_USER")), env.get("TASKMILL_DB_PASSWORD"));
    } else if (env.containsKey("TASKMILL_DB_USER") || env.containsKey("TASKMILL_DB_PASSWORD")) {
      earlyProblems.add(
          "TASKMILL_DB_USER/TASKMILL_DB_PASSWORD are set but TASKMILL_DB_URL is not;"
              + " set TASKMILL_DB_URL=jdbc:postgresql://host:5432/db");
    }
    String dir = blankToNull(env.get("TASKMILL_DATA_DIR"));
    if (dir != null) {
      dataDir(Path.of(dir));
    }
    String node = blankToNull(env.get("TASKMILL_NODE_ID"));
    if (node != null) {
      nodeId(node);
    }
    String pool = blankToNull(env.get("TASKMILL_POOL_SIZE"));
    if (pool != null) {
      try {
        poolSize(Integer.parseInt(pool.trim()));
      } catch (NumberFormatException e) {
        earlyProblems.add("TASKMILL_POOL_SIZE must be a whole number, was '" + pool + "'");
      }
    }
    return this;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  /** Validates everything, opens the store and starts the engine's threads. */
  public Taskmill start() {
    return new RunningTaskmill(Engine.start(validate()));
  }

  /**
   * Validates everything and opens the store, as {@link #start} does, but starts no background
   * threads: the caller runs the engine's duties (see {@link DrivenTaskmill}), typically on a fake
   * {@link #clock}. For tests, not for production.
   */
  public DrivenTaskmill startDriven() {
    return new RunningTaskmill(Engine.startManual(validate()));
  }

  /** Checks every setting and opens the store; every problem is reported at once. */
  private EngineConfig validate() {
    var problems = new ArrayList<String>(earlyProblems);
    var json = new JsonCodec();
    var queueMap = new LinkedHashMap<String, Integer>();
    queueMap.put(DEFAULT_QUEUE, QueueSettings.DEFAULT_CONCURRENCY);
    queues.forEach(
        (name, s) -> {
          if (!Names.isQueueName(name)) {
            problems.add("queue name '" + name + "' is invalid: " + Names.QUEUE_RULE);
          }
          range(problems, "queue '" + name + "' concurrency", s.concurrency, 1, 10_000);
          queueMap.put(name, s.concurrency);
        });
    var defs = handlerDefs(problems, json, queueMap);
    if (defaultRetry == null) {
      problems.add("defaultRetry must be set (Retry.defaultPolicy() is the default)");
    } else {
      problems.addAll(defaultRetry.problems("defaultRetry"));
    }
    if (defaultTimeout != null) {
      duration(
          problems, "defaultTimeout", defaultTimeout, Duration.ofMillis(1), Duration.ofDays(7));
    }
    duration(problems, "leaseDuration", leaseDuration, Duration.ofSeconds(1), Duration.ofHours(24));
    duration(problems, "pollInterval", pollInterval, Duration.ofMillis(10), Duration.ofHours(1));
    duration(
        problems, "rescueInterval", rescueInterval, Duration.ofMillis(100), Duration.ofHours(1));
    duration(problems, "shutdownGrace", shutdownGrace, Duration.ZERO, Duration.ofHours(1));
    duration(problems, "timeoutGrace", timeoutGrace, Duration.ZERO, Duration.ofHours(1));
    range(problems, "claimBatchSize", claimBatchSize, 1, 10_000);
    range(problems, "completionBatchSize", completionBatchSize, 1, 10_000);
    range(problems, "poolSize", poolSize, 1, 200);
    range(problems, "maxLogLinesPerJob", maxLogLinesPerJob, 0, 100_000);
    if (jobLogLevel == null) {
      problems.add("jobLogLevel must be one of DEBUG, INFO, WARN, ERROR, was null");
    }
    duration(
        problems, "retainSucceeded", retainSucceeded, Duration.ofMinutes(1), Duration.ofDays(3650));
    duration(
        problems, "retainFinished", retainFinished, Duration.ofMinutes(1), Duration.ofDays(3650));
    if (retainAudit != null && retainAudit.compareTo(MIN_RETAIN_AUDIT) < 0) {
      problems.add(
          "retainAudit must be at least "
              + MIN_RETAIN_AUDIT.toDays()
              + " days ("
              + MIN_RETAIN_AUDIT
              + "), was "
              + retainAudit
              + ": the audit trail keeps the last "
              + MIN_RETAIN_AUDIT.toDays()
              + " days whatever is configured (PostgreSQL refuses to "
              + "delete them); set 30 days or more");
    } else {
      duration(problems, "retainAudit", retainAudit, MIN_RETAIN_AUDIT, Duration.ofDays(36500));
    }
    duration(
        problems,
        "misfireThreshold",
        misfireThreshold,
        Duration.ofSeconds(1),
        Duration.ofDays(366));
    String node = nodeId != null ? nodeId : defaultNodeId();
    if (!NODE_ID.matcher(node).matches()) {
      problems.add("nodeId '" + node + "' is invalid: 1 to 100 of A-Z a-z 0-9 _ . : @ -");
    }
    StoreSettings storeSettings = storeSettings(problems);
    if (!problems.isEmpty()) {
      throw new TaskmillConfigException(problems);
    }
    Store opened = store;
    if (opened == null) {
      opened = openStore(storeSettings, problems);
      if (!problems.isEmpty()) {
        throw new TaskmillConfigException(problems);
      }
    }
    return new EngineConfig(
        opened,
        store == null,
        clock != null ? clock : Clock.systemUTC(),
        node,
        defs,
        queueMap,
        defaultRetry,
        defaultTimeout,
        leaseDuration,
        pollInterval,
        rescueInterval,
        shutdownGrace,
        timeoutGrace,
        claimBatchSize,
        completionBatchSize,
        maxLogLinesPerJob,
        jobLogLevel,
        json,
        clock == null,
        retainSucceeded,
        retainFinished,
        retainAudit,
        misfireThreshold,
        schedules);
  }

  private List<HandlerDef> handlerDefs(
      List<String> problems, JsonCodec json, Map<String, Integer> queueMap) {
    var defs = new ArrayList<HandlerDef>();
    var seen = new HashSet<String>();
    for (Registration r : handlers) {
      String what = "handler '" + r.type() + "'";
      int before = problems.size();
      if (!Names.isJobType(r.type())) {
        problems.add(what + ": invalid type name: " + Names.TYPE_RULE);
      } else if (!seen.add(r.type())) {
        problems.add(what + " is registered twice; each type has exactly one handler");
      }
      if (r.invoker() == null) {
        problems.add(what + ": the handler is null");
      }
      if (r.payloadType() == null) {
        problems.add(what + ": the payload type is null; pass the payload record's class");
      } else {
        String why = json.unbindableReason(r.payloadType());
        if (why != null) {
          problems.add(what + ": payload type " + why);
        }
      }
      HandlerSettings s = r.settings();
      if (s.queue == null || !queueMap.containsKey(s.queue)) {
        problems.add(
            what
                + ": queue '"
                + s.queue
                + "' is not declared; declare it with"
                + " .queue(\""
                + s.queue
                + "\", q -> q.concurrency(n)) or use one of "
                + queueMap.keySet());
      }
      range(
          problems,
          what + " priority",
          s.priority,
          JobOptions.MIN_PRIORITY,
          JobOptions.MAX_PRIORITY);
      if (s.retry != null) {
        problems.addAll(s.retry.problems(what + " retry"));
      }
      if (s.timeout != null) {
        duration(problems, what + " timeout", s.timeout, Duration.ofMillis(1), Duration.ofDays(7));
      }
      if (s.maxConcurrency != null) {
        range(problems, what + " maxConcurrency", s.maxConcurrency, 1, 10_000);
      }
      if (s.clusterMaxConcurrency != null) {
        range(problems, what + " clusterMaxConcurrency", s.clusterMaxConcurrency, 1, 100_000);
      }
      if (s.rateStarts != null) {
        problems.addAll(RateLimit.problems(what + " rateLimit", s.rateStarts, s.ratePer));
      }
      if (problems.size() == before) {
        Retry retry = s.retry != null ? s.retry : defaultRetry;
        Duration timeout = s.timeout != null ? s.timeout : defaultTimeout;
        var info =
            new HandlerInfo(
                r.type(),
                Names.namespaceOf(r.type()),
                r.payloadType(),
                s.queue,
                s.priority,
                retry,
                timeout,
                s.maxConcurrency,
                r.returnsResult(),
                s.clusterMaxConcurrency,
                s.rateStarts == null ? null : new RateLimit(s.rateStarts, s.ratePer));
        defs.add(
            new HandlerDef(
                info,
                r.invoker(),
                json.readerFor(r.payloadType(), s.ignoreUnknownProperties),
                json.write(retry.toSpec())));
      }
    }
    return defs;
  }

  private StoreSettings storeSettings(List<String> problems) {
    if (store != null) {
      return null;
    }
    int given =
        (dataDir != null ? 1 : 0) + (inMemoryName != null ? 1 : 0) + (jdbcUrl != null ? 1 : 0);
    if (given > 1) {
      problems.add("dataDir, inMemory and jdbcUrl are alternatives; set at most one");
      return null;
    }
    if (jdbcUrl != null) {
      if (!jdbcUrl.startsWith("jdbc:")) {
        problems.add("jdbcUrl '" + jdbcUrl + "' is not a JDBC URL (it starts with jdbc:)");
      }
      return new StoreSettings(null, null, jdbcUrl, dbUser, dbPassword, poolSize);
    }
    if (inMemoryName != null) {
      return new StoreSettings(null, inMemoryName, null, null, null, poolSize);
    }
    Path dir = (dataDir != null ? dataDir : DEFAULT_DATA_DIR).toAbsolutePath();
    try {
      Files.createDirectories(dir);
      if (!Files.isWritable(dir)) {
        problems.add(
            "dataDir '" + dir + "' is not writable; choose a directory this user can write");
      }
    } catch (IOException | SecurityException e) {
      problems.add(
          "dataDir '" + dir + "' cannot be created (" + e + "); choose a writable directory");
    }
    return new StoreSettings(dir, null, null, null, null, poolSize);
  }

  private static Store openStore(StoreSettings settings, List<String> problems) {
    var providers = ServiceLoader.load(StoreProvider.class).iterator();
    if (!providers.hasNext()) {
      problems.add(
          "no store on the classpath: add io.taskmill:taskmill-jdbc (embedded H2) or pass"
              + " .store(...)");
      return null;
    }
    try {
      return providers.next().open(settings);
    } catch (RuntimeException e) {
      problems.add("database: cannot open " + describe(settings) + ": " + e.getMessage());
      return null;
    }
  }

  private static String describe(StoreSettings s) {
    if (s.jdbcUrl() != null) {
      return s.jdbcUrl();
    }
    return s.inMemoryName() != null ? "in-memory database" : "embedded database in " + s.dataDir();
  }

  private static void range(List<String> problems, String setting, int value, int min, int max) {
    if (value < min || value > max) {
      problems.add(setting + " must be between " + min + " and " + max + ", was " + value);
    }
  }

  private static void duration(
      List<String> problems, String setting, Duration value, Duration min, Duration max) {
    if (value == null || value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      problems.add(setting + " must be between " + min + " and " + max + ", was " + value);
    }
  }

  private static String defaultNodeId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "localhost";
    }
    host = host.replaceAll("[^A-Za-z0-9_.-]", "-");
    if (host.length() > 60) {
      host = host.substring(0, 60);
    }
    return host
        + "-"
        + ProcessHandle.current().pid()
        + "-"
        + Objects.toString(UUID.randomUUID()).substring(0, 6);
  }
}
