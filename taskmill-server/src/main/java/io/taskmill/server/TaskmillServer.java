package io.taskmill.server;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.taskmill.Taskmill;
import io.taskmill.TaskmillBuilder;
import io.taskmill.access.Role;
import io.taskmill.jdbc.JdbcStoreProvider;
import io.taskmill.server.api.AccessApi;
import io.taskmill.server.api.ClusterApi;
import io.taskmill.server.api.EventsApi;
import io.taskmill.server.api.HandlersApi;
import io.taskmill.server.api.HealthApi;
import io.taskmill.server.api.JobsApi;
import io.taskmill.server.api.OpenApiDocs;
import io.taskmill.server.api.SchedulesApi;
import io.taskmill.server.http.ApiHandler;
import io.taskmill.server.http.LogText;
import io.taskmill.server.http.Problem;
import io.taskmill.server.http.Route;
import io.taskmill.server.http.Router;
import io.taskmill.spi.Store;
import io.taskmill.spi.StoreSettings;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Taskmill server: an engine on its store plus the HTTP API in front of it. Start it with
 * {@link #start}; {@link #close()} stops HTTP first, then the engine, then the store.
 */
public final class TaskmillServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TaskmillServer.class);

  private final Server jetty;
  private final ServerConnector connector;
  private final Taskmill taskmill;
  private final Store store;
  private final Router router;
  private final HealthApi health;
  private final PrometheusMeterRegistry meters;
  private final Optional<String> bootstrapSecret;
  private final EventsApi events;
  private final ExecutionMeters execution;
  private final JobsApi jobsApi;
  private final AccessApi accessApi;

  private TaskmillServer(
      Server jetty,
      ServerConnector connector,
      Taskmill taskmill,
      Store store,
      Router router,
      HealthApi health,
      PrometheusMeterRegistry meters,
      Optional<String> bootstrapSecret,
      EventsApi events,
      ExecutionMeters execution,
      JobsApi jobsApi,
      AccessApi accessApi) {
    this.jobsApi = jobsApi;
    this.accessApi = accessApi;
    this.events = events;
    this.execution = execution;
    this.jetty = jetty;
    this.connector = connector;
    this.taskmill = taskmill;
    this.store = store;
    this.router = router;
    this.health = health;
    this.meters = meters;
    this.bootstrapSecret = bootstrapSecret;
  }

  /**
   * Opens the store, starts the engine with the handlers {@code handlers} registers, creates the
   * first admin key if there is none, and starts HTTP.
   *
   * @throws IllegalArgumentException naming what is wrong with the configuration
   */
  public static TaskmillServer start(ServerConfig config, Consumer<TaskmillBuilder> handlers) {
    if (config.insecureDev() && !isLoopback(config.host())) {
      throw new IllegalArgumentException(
          "insecure dev mode serves without API keys, so it binds "
              + "only to a loopback address; host was '"
              + config.host()
              + "' (use 127.0.0.1)");
    }
    Store store =
        new JdbcStoreProvider()
            .open(
                new StoreSettings(
                    config.dbUrl() == null && !config.inMemory() ? config.dataDir() : null,
                    config.inMemory() ? "taskmill-server-" + UUID.randomUUID() : null,
                    config.dbUrl(),
                    config.dbUser(),
                    config.dbPassword(),
                    10));
    Taskmill taskmill = null;
    HealthApi health = null;
    ExecutionMeters execution = null;
    JobsApi jobsApi = null;
    AccessApi accessApi = null;
    try {
      TaskmillBuilder builder =
          Taskmill.builder().store(store).retainAudit(Duration.ofDays(config.auditRetentionDays()));
      if (config.nodeName() != null) {
        builder.nodeId(config.nodeName());
      }
      handlers.accept(builder);
      taskmill = builder.start();
      var meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      var access = new AccessApi(taskmill.access(), Clock.systemUTC());
      Optional<String> secret =
          config.insecureDev() ? Optional.empty() : access.bootstrap(config.bootstrapAdminKey());
      Taskmill started = taskmill;
      health =
          new HealthApi(
              taskmill,
              Metrics.version(),
              () -> {
                started.cluster().storeTime();
                return true;
              });
      Runnable beforeScrape = Metrics.bind(meters, taskmill, health);
      execution = new ExecutionMeters(meters, taskmill);
      var events = new EventsApi(taskmill);
      jobsApi = new JobsApi(taskmill);
      accessApi = access;
      var router =
          new Router()
              .addAll(health.routes())
              .addAll(jobsApi.routes())
              .addAll(new SchedulesApi(taskmill).routes())
              .addAll(new HandlersApi(taskmill).routes())
              .addAll(new ClusterApi(taskmill).routes())
              .addAll(access.routes())
              .addAll(events.routes())
              .addAll(OpenApiDocs.routes())
              .add(
                  Route.read(
                      "GET",
                      "/metrics",
                      Role.VIEWER,
                      ex -> {
                        if (ex.principal().scoped()) {
                          // Every queue's and type's job counts: not for a key limited to some
                          // queues.
                          throw new Problem(
                              403,
                              "Forbidden",
                              "metrics cover every "
                                  + "queue; scrape them with a key that is not limited to some queues",
                              null);
                        }
                        beforeScrape.run();
                        ex.replyText(200, "text/plain; version=0.0.4", meters.scrape());
                      }));

      var threads = new QueuedThreadPool();
      threads.setName("taskmill-http");
      // Routes block on the database; virtual threads make that cheap.
      threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
      var jetty = new Server(threads);
      var http = new HttpConfiguration();
      http.setSendServerVersion(false);
      // Odd paths (%2F, %2e%2e, %00) reach the router, which refuses them with a 400 problem;
      // Jetty would refuse them itself and close the connection under a client that reuses it.
      http.setUriCompliance(
          UriCompliance.from(
              EnumSet.of(
                  UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR,
                  UriCompliance.Violation.AMBIGUOUS_PATH_SEGMENT,
                  UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING,
                  UriCompliance.Violation.AMBIGUOUS_EMPTY_SEGMENT,
                  UriCompliance.Violation.AMBIGUOUS_PATH_PARAMETER,
                  UriCompliance.Violation.SUSPICIOUS_PATH_CHARACTERS,
                  UriCompliance.Violation.ILLEGAL_PATH_CHARACTERS,
                  UriCompliance.Violation.BAD_PERCENT_ENCODING,
                  UriCompliance.Violation.BAD_UTF8_ENCODING,
                  UriCompliance.Violation.TRUNCATED_UTF8_ENCODING,
                  UriCompliance.Violation.UTF16_ENCODINGS)));
      var connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
      connector.setHost(config.host());
      connector.setPort(config.port());
      jetty.addConnector(connector);
      jetty.setHandler(
          new ApiHandler(
              router, access, access, meters, config.insecureDev(), config.requestsPerSecond()));
      jetty.setErrorHandler(new ProblemErrorHandler());
      jetty.setStopTimeout(2000);
      jetty.start();
      log.info(
          "Taskmill server listening on {}:{} (node {})",
          config.host(),
          connector.getLocalPort(),
          taskmill.nodeId());
      return new TaskmillServer(
          jetty, connector, taskmill, store, router, health, meters, secret, events, execution,
          jobsApi, accessApi);
    } catch (Exception e) {
      if (jobsApi != null) {
        jobsApi.close();
      }
      if (accessApi != null) {
        accessApi.close();
      }
      if (execution != null) {
        execution.close();
      }
      if (health != null) {
        health.close();
      }
      if (taskmill != null) {
        taskmill.close();
      }
      store.close();
      if (e instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException("the HTTP server did not start: " + e.getMessage(), e);
    }
  }

  private static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** The port HTTP listens on (the chosen one when configured as 0). */
  public int port() {
    return connector.getLocalPort();
  }

  /** The base URI, e.g. {@code http://127.0.0.1:8080}. */
  public URI uri() {
    String host =
        connector.getHost() == null || connector.getHost().equals("0.0.0.0")
            ? "127.0.0.1"
            : connector.getHost();
    return URI.create("http://" + host + ":" + port());
  }

  public Taskmill taskmill() {
    return taskmill;
  }

  /** Every route, for tests that check the OpenAPI document and sweep authentication. */
  public Router router() {
    return router;
  }

  public PrometheusMeterRegistry meters() {
    return meters;
  }

  /** The admin key this start created, to show once; empty when keys existed already. */
  public Optional<String> bootstrapSecret() {
    return bootstrapSecret;
  }

  @Override
  public void close() {
    events.close();
    try {
      jetty.stop();
    } catch (Exception e) {
      log.warn("HTTP did not stop cleanly: {}", e.toString());
    }
    health.close();
    jobsApi.close();
    accessApi.close();
    execution.close();
    taskmill.close();
    store.close();
    meters.close();
  }

  /** Answers what Jetty itself refuses (a malformed URI, oversized headers) as problem+json. */
  private static final class ProblemErrorHandler extends ErrorHandler {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      int status = response.getStatus() >= 400 ? response.getStatus() : 400;
      Object code = request.getAttribute(ERROR_STATUS);
      if (code instanceof Integer c) {
        status = c;
      }
      Object message = request.getAttribute(ERROR_MESSAGE);
      String detail =
          message == null ? "the request could not be handled" : LogText.clean(message.toString());
      // Jetty closes the connection after a request it could not parse; saying so keeps a client
      // from sending its next request down a connection that is about to close.
      ApiHandler.writeProblem(
          response,
          callback,
          new Problem(status, org.eclipse.jetty.http.HttpStatus.getMessage(status), detail, null)
              .header("Connection", "close"),
          null);
      return true;
    }
  }
}
