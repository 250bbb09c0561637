package io.taskmill.cluster;

import io.taskmill.jdbc.PgStores;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@link ClusterNode} JVM (the current JDK, the test classpath) and the process faults a test
 * can inflict on it: {@code kill -9}, SIGSTOP / SIGCONT, and SIGTERM for a graceful stop. Its
 * output goes to {@code target/cluster-logs/<node>.log}; warnings and errors are echoed, capped,
 * with the node's name.
 */
final class NodeProcess implements AutoCloseable {
  /** Small heap and C1 only: three of these share two cores with PostgreSQL and the test. */
  private static final List<String> JVM_OPTIONS =
      List.of(
          "-Xmx256m",
          "-XX:+UseSerialGC",
          "-XX:TieredStopAtLevel=1",
          "-Xshare:auto",
          "-Duser.timezone=" + PgStores.SESSION_TIME_ZONE);

  private static final int ECHO_LIMIT = 40;
  private static final Pattern LOG_LINE =
      Pattern.compile("(\\d\\d:\\d\\d:\\d\\d\\.\\d\\d\\d) +(WARN|ERROR) ");
  static final Path LOG_DIR = Path.of("target", "cluster-logs");

  private final NodeSettings settings;
  private final Process process;
  private final CompletableFuture<Void> ready = new CompletableFuture<>();

  /** Completed once the process's output has been read to its end and written to the log. */
  private final CompletableFuture<Void> drained = new CompletableFuture<>();

  private final Path log;
  private volatile boolean paused;

  private NodeProcess(NodeSettings settings, Process process, Path log) {
    this.settings = settings;
    this.process = process;
    this.log = log;
  }

  /** Starts the JVM; {@link #awaitReady} waits for its engine. */
  static NodeProcess start(NodeSettings settings) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    var command = new ArrayList<>(settings.launchPrefix());
    command.add(java);
    command.addAll(JVM_OPTIONS);
    command.add("-cp");
    command.add(classpath);
    command.add(ClusterNode.class.getName());
    command.addAll(settings.toArgs());
    Files.createDirectories(LOG_DIR);
    Path log = LOG_DIR.resolve(settings.nodeId() + "-" + System.currentTimeMillis() + ".log");
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    var node = new NodeProcess(settings, p, log);
    Thread.ofPlatform().daemon().name("node-out-" + settings.nodeId()).start(node::pump);
    return node;
  }

  private void pump() {
    var echoed = new AtomicInteger();
    try (var in =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        var out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
      String line;
      while ((line = in.readLine()) != null) {
        out.println(line);
        if (line.startsWith("ready ")) {
          ready.complete(null);
        } else if ((line.contains(" WARN ")
                || line.contains(" ERROR ")
                || line.startsWith("Exception"))
            && echoed.incrementAndGet() <= ECHO_LIMIT) {
          System.out.println(
              "["
                  + settings.nodeId()
                  + "] "
                  + line
                  + (echoed.get() == ECHO_LIMIT ? "  (more in " + log + ")" : ""));
        }
      }
    } catch (IOException e) {
      // the process ended
    } finally {
      drained.complete(null);
      ready.completeExceptionally(
          new IllegalStateException(
              "node "
                  + settings.nodeId()
                  + " exited ("
                  + exitDescription()
                  + ") before it was ready; see "
                  + log));
    }
  }

  private String exitDescription() {
    return process.isAlive() ? "still running" : "exit " + process.exitValue();
  }

  /** Waits until the node's engine has started. */
  NodeProcess awaitReady(Duration max) throws Exception {
    ready.get(max.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  String nodeId() {
    return settings.nodeId();
  }

  NodeSettings settings() {
    return settings;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  Path log() {
    return log;
  }

  /**
   * WARN and ERROR lines the node logged with a timestamp in [{@code from}, {@code to}]. Log lines
   * start with the node's local time of day ({@code HH:mm:ss.SSS}, logback-test.xml), in the zone
   * the JVM was started with.
   */
  long warningsBetween(Instant from, Instant to) throws IOException {
    ZoneId zone = ZoneId.of(PgStores.SESSION_TIME_ZONE);
    LocalTime start = LocalTime.ofInstant(from, zone);
    LocalTime end = LocalTime.ofInstant(to, zone);
    try (var lines = Files.lines(log, StandardCharsets.UTF_8)) {
      return lines
          .map(LOG_LINE::matcher)
          .filter(Matcher::lookingAt)
          .map(m -> LocalTime.parse(m.group(1)))
          .filter(
              t ->
                  start.isAfter(end) // the window spans midnight
                      ? !t.isBefore(start) || !t.isAfter(end)
                      : !t.isBefore(start) && !t.isAfter(end))
          .count();
    }
  }

  /** SIGKILL: no shutdown hook, no release of leases, connections dropped by the kernel. */
  void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** SIGSTOP: the JVM freezes as in a long GC pause, holding its connections and leases. */
  void pause() throws IOException, InterruptedException {
    signal("STOP");
    paused = true;
  }

  /** SIGCONT after {@link #pause}. */
  void resume() throws IOException, InterruptedException {
    signal("CONT");
    paused = false;
  }

  /**
   * SIGTERM, then waits for the graceful shutdown (the engine's grace period, plus slack); once the
   * process has exited, also for its last output to reach the log.
   */
  boolean terminate(Duration max) throws IOException, InterruptedException {
    // Not Process.destroy(): it closes this side of the output pipe along with the signal, so
    // everything the node logs while it shuts down (releases, resignation) would be lost.
    signal("TERM");
    if (!process.waitFor(max.toMillis(), TimeUnit.MILLISECONDS)) {
      return false;
    }
    try {
      drained.get(5, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      System.out.println("the output of " + nodeId() + " was not drained: " + e);
    }
    return true;
  }

  /** The exit code, or -1 while the process runs. */
  int exitCode() {
    return process.isAlive() ? -1 : process.exitValue();
  }

  private void signal(String name) throws IOException, InterruptedException {
    Process kill =
        new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
            .redirectErrorStream(true)
            .start();
    String out = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (kill.waitFor() != 0) {
      throw new IOException("kill -" + name + " " + process.pid() + " failed: " + out);
    }
  }

  /** Kills the JVM if it still runs (resuming it first if paused, so the kill is delivered). */
  @Override
  public void close() throws Exception {
    if (process.isAlive()) {
      if (paused) {
        resume();
      }
      kill9();
    }
  }
}
