package io.taskmill.cli;

import io.taskmill.demo.DemoHandlers;
import io.taskmill.job.JobOptions;
import io.taskmill.server.ConfigLoader;
import io.taskmill.server.ServerConfig;
import io.taskmill.server.TaskmillServer;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code taskmill server}: the engine and its REST API, on the embedded store by default or on a
 * shared PostgreSQL database. Runs until stopped (Ctrl-C or SIGTERM), then shuts down gracefully.
 */
@Command(
    name = "server",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    header = "Runs the Taskmill server: REST API, health and metrics.",
    description = {
      "Settings come from defaults < taskmill.yaml < TASKMILL_* variables < these flags.",
      "The first start prints a one-time admin key (or uses TASKMILL_BOOTSTRAP_ADMIN_KEY)."
    })
public final class ServerCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "YAML settings file (default: ./taskmill.yaml when it exists)")
  Path config;

  @Option(names = "--port", description = "HTTP port (default 8080; 0 picks a free one)")
  String port;

  @Option(names = "--host", description = "address to bind (default 0.0.0.0)")
  String host;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "embedded database directory (default ./taskmill-data)")
  String dataDir;

  @Option(
      names = "--db-url",
      paramLabel = "URL",
      description = "jdbc:postgresql://host:5432/db to share one database between servers")
  String dbUrl;

  @Option(names = "--db-user", description = "database user")
  String dbUser;

  @Option(names = "--node-name", paramLabel = "NAME", description = "this node's name")
  String nodeName;

  @Option(
      names = "--audit-retention-days",
      paramLabel = "DAYS",
      description =
          "days audit entries are kept before the leader prunes them (default 365, "
              + "at least 30)")
  String auditRetentionDays;

  @Option(names = "--demo", description = "add sample handlers and a trickle of demo jobs")
  boolean demo;

  @Option(
      names = "--insecure-dev",
      description = "no API keys, for local development; binds to 127.0.0.1 only")
  boolean insecureDev;

  @Option(
      names = "--log-format",
      paramLabel = "FORMAT",
      description = "json (one object per line, the default) or text")
  String logFormat = "json";

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    switch (logFormat) {
      case "json" -> jsonLogs();
      case "text" -> {}
      default ->
          throw new picocli.CommandLine.ParameterException(
              spec.commandLine(), "--log-format must be json or text, was '" + logFormat + "'");
    }
    var flags = new LinkedHashMap<String, String>();
    put(flags, "port", port);
    put(flags, "host", host);
    put(flags, "data-dir", dataDir);
    put(flags, "db-url", dbUrl);
    put(flags, "db-user", dbUser);
    put(flags, "node-name", nodeName);
    put(flags, "audit-retention-days", auditRetentionDays);
    if (demo) {
      flags.put("demo", "true");
    }
    if (insecureDev) {
      flags.put("insecure-dev", "true");
    }
    Path file =
        config != null
            ? config
            : Files.exists(Path.of("taskmill.yaml")) ? Path.of("taskmill.yaml") : null;
    ServerConfig cfg = ConfigLoader.load(file, System.getenv(), flags);
    TaskmillServer server =
        TaskmillServer.start(
            cfg,
            builder -> {
              if (cfg.demo()) {
                SampleHandlers.registerAll(builder);
                DemoHandlers.registerAll(builder);
              }
            });
    var stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                },
                "taskmill-shutdown"));
    out.println(
        "Taskmill server on "
            + server.uri()
            + " (node "
            + server.taskmill().nodeId()
            + ", "
            + (cfg.dbUrl() != null
                ? "database " + cfg.dbUrl()
                : "embedded database in " + cfg.dataDir().toAbsolutePath())
            + ")");
    if (cfg.insecureDev()) {
      out.println("INSECURE DEV MODE: no API keys are checked; listening on loopback only.");
    }
    server
        .bootstrapSecret()
        .ifPresent(
            secret -> {
              out.println();
              out.println("First start: created an admin API key. It is shown only now; store it:");
              out.println("  " + secret);
              out.println(
                  "Use it as:  curl -H 'Authorization: Bearer "
                      + secret
                      + "' "
                      + server.uri()
                      + "/api/v1/jobs");
              out.println();
            });
    out.println(
        "API: "
            + server.uri()
            + "/api/v1   docs: "
            + server.uri()
            + "/docs   health: "
            + server.uri()
            + "/health/ready");
    out.flush();
    if (cfg.demo()) {
      Thread.ofVirtual().name("taskmill-demo-trickle").start(() -> trickle(server, stopped));
    }
    stopped.await();
    return 0;
  }

  /** Switches Logback to the server's JSON configuration (the CLI's default is quiet text). */
  private static void jsonLogs() throws Exception {
    var context =
        (ch.qos.logback.classic.LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
    var configurator = new ch.qos.logback.classic.joran.JoranConfigurator();
    configurator.setContext(context);
    context.reset();
    configurator.doConfigure(ServerCommand.class.getResource("logback-server.xml"));
  }

  /** A few demo jobs a second, so a newcomer sees work moving at once. */
  private static void trickle(TaskmillServer server, CountDownLatch stopped) {
    var random = ThreadLocalRandom.current();
    try {
      while (stopped.getCount() > 0) {
        int pick = random.nextInt(3);
        switch (pick) {
          case 0 ->
              server
                  .taskmill()
                  .enqueue(
                      SampleHandlers.RESIZE,
                      new SampleHandlers.ResizeImage(
                          "photos/img-" + random.nextInt(1000) + ".png", 640),
                      JobOptions.queue("media"));
          case 1 ->
              server
                  .taskmill()
                  .enqueue(
                      SampleHandlers.SEND_MAIL,
                      new SampleHandlers.SendEmail(
                          "user" + random.nextInt(100) + "@example.com", "welcome"),
                      JobOptions.queue("mail"));
          default ->
              server
                  .taskmill()
                  .enqueue(DemoHandlers.FAIL, new DemoHandlers.Fail(random.nextInt(3)));
        }
        Thread.sleep(random.nextLong(300, 1200));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      // Stopping: the engine refuses new jobs; the trickle simply ends.
    }
  }

  private static void put(LinkedHashMap<String, String> flags, String key, String value) {
    if (value != null) {
      flags.put(key, value);
    }
  }
}
