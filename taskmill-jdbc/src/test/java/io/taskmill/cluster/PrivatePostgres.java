package io.taskmill.cluster;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of a test's own, for faults the shared server must never see (restarts,
 * crashes, network partitions): {@code initdb} into a temporary directory as the {@code postgres}
 * OS user, started on a free port with its socket in that directory, stopped and deleted by {@link
 * #close()}.
 *
 * <p>Needs root (to run {@code runuser -u postgres}) and PostgreSQL's binaries in {@link #BIN} (or
 * {@code -Dtaskmill.test.pg.bin=…}); without them the calling test is skipped with the reason, by a
 * JUnit assumption.
 */
final class PrivatePostgres implements AutoCloseable {
  static final Path BIN =
      Path.of(System.getProperty("taskmill.test.pg.bin", "/usr/lib/postgresql/15/bin"));
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(120);

  private final Path dir;
  private final Path data;
  private final int port;
  private final String listenAddresses;
  private volatile boolean running;

  /** Stops and deletes the server if the test JVM exits without closing it. */
  private final Thread cleanup = new Thread(this::closeQuietly, "private-postgres-cleanup");

  private PrivatePostgres(Path dir, int port, String listenAddresses) {
    this.dir = dir;
    this.data = dir.resolve("data");
    this.port = port;
    this.listenAddresses = listenAddresses;
  }

  /** Creates and starts a server listening on 127.0.0.1; skips the test if that is impossible. */
  static PrivatePostgres start() throws IOException, InterruptedException {
    return start(List.of(), List.of());
  }

  /**
   * Creates and starts a server that also listens on {@code extraAddresses} and trusts clients from
   * {@code trustedNets} (CIDR), for nodes in other network namespaces.
   */
  static PrivatePostgres start(List<String> extraAddresses, List<String> trustedNets)
      throws IOException, InterruptedException {
    assumeTrue(
        Files.isExecutable(BIN.resolve("initdb")) && Files.isExecutable(BIN.resolve("pg_ctl")),
        "PostgreSQL's initdb and pg_ctl are not in " + BIN + " (set -Dtaskmill.test.pg.bin)");
    assumeTrue(
        "root".equals(System.getProperty("user.name")),
        "a private PostgreSQL is started with runuser -u postgres, which needs root; running as "
            + System.getProperty("user.name"));
    assumeTrue(run(List.of("id", "-u", "postgres")) == 0, "there is no postgres OS user");
    Path dir = Files.createTempDirectory("taskmill-pg-");
    var addresses = new ArrayList<String>();
    addresses.add("127.0.0.1");
    addresses.addAll(extraAddresses);
    var pg = new PrivatePostgres(dir, freePort(), String.join(",", addresses));
    Runtime.getRuntime().addShutdownHook(pg.cleanup);
    try {
      checked(List.of("chown", "postgres:", dir.toString()));
      pg.asPostgres(
          BIN.resolve("initdb").toString(),
          "-D",
          pg.data.toString(),
          "-U",
          "postgres",
          "-A",
          "trust",
          "-E",
          "UTF8",
          "--no-sync",
          "--no-instructions");
      if (!trustedNets.isEmpty()) {
        var hba = new StringBuilder();
        trustedNets.forEach(net -> hba.append("host all all ").append(net).append(" trust\n"));
        Files.writeString(
            pg.data.resolve("pg_hba.conf"), hba, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
      }
      pg.startServer();
      return pg;
    } catch (IOException | RuntimeException | InterruptedException e) {
      pg.close();
      throw e;
    }
  }

  int port() {
    return port;
  }

  /** The server as seen from this host. */
  PgTarget target() {
    return target("127.0.0.1");
  }

  /** The server as seen at {@code host} (one of its listen addresses). */
  PgTarget target(String host) {
    return new PgTarget("jdbc:postgresql://" + host + ":" + port + "/postgres", "postgres", null);
  }

  /** Starts the server and waits until it accepts connections. */
  void startServer() throws IOException, InterruptedException {
    asPostgres(
        BIN.resolve("pg_ctl").toString(),
        "-D",
        data.toString(),
        "-l",
        dir.resolve("server.log").toString(),
        "-w",
        "-t",
        "60",
        "-o",
        "-p "
            + port
            + " -k "
            + dir
            + " -c listen_addresses="
            + listenAddresses
            + " -c max_connections=60",
        "start");
    running = true;
  }

  /**
   * Stops the server: {@code fast} ends sessions and checkpoints, {@code immediate} is a crash (no
   * checkpoint; the next start replays the WAL).
   */
  void stopServer(String mode) throws IOException, InterruptedException {
    asPostgres(
        BIN.resolve("pg_ctl").toString(),
        "-D",
        data.toString(),
        "-m",
        mode,
        "-w",
        "-t",
        "60",
        "stop");
    running = false;
  }

  /** Stops with {@code mode}, then starts again; returns once it accepts connections. */
  void restart(String mode) throws IOException, InterruptedException {
    stopServer(mode);
    startServer();
  }

  /** The server's log, for a failing test's output. */
  String logTail(int lines) throws IOException {
    List<String> all = Files.readAllLines(dir.resolve("server.log"), StandardCharsets.UTF_8);
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  @Override
  public void close() throws IOException, InterruptedException {
    try {
      Runtime.getRuntime().removeShutdownHook(cleanup);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: this is the hook running
    }
    stopAndDelete();
  }

  private void closeQuietly() {
    try {
      stopAndDelete();
    } catch (IOException | InterruptedException e) {
      System.err.println("could not remove the private PostgreSQL in " + dir + ": " + e);
    }
  }

  private void stopAndDelete() throws IOException, InterruptedException {
    try {
      if (running || Files.exists(data.resolve("postmaster.pid"))) {
        run(
            List.of(
                "runuser",
                "-u",
                "postgres",
                "--",
                BIN.resolve("pg_ctl").toString(),
                "-D",
                data.toString(),
                "-m",
                "immediate",
                "-w",
                "-t",
                "60",
                "stop"));
        running = false;
      }
    } finally {
      try (Stream<Path> paths = Files.walk(dir)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private void asPostgres(String... command) throws IOException, InterruptedException {
    var full = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
    full.addAll(List.of(command));
    checked(full);
  }

  private static void checked(List<String> command) throws IOException, InterruptedException {
    var out = new StringBuilder();
    int exit = run(command, out);
    if (exit != 0) {
      throw new IOException(String.join(" ", command) + " failed with exit " + exit + ":\n" + out);
    }
  }

  private static int run(List<String> command) throws IOException, InterruptedException {
    return run(command, new StringBuilder());
  }

  private static int run(List<String> command, StringBuilder out)
      throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    // pg_ctl start leaves the server holding inherited pipes; read only what the command wrote.
    var reader =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    out.append(
                        new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                  } catch (IOException ignored) {
                    // the command ended
                  }
                });
    if (!p.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      throw new IOException(String.join(" ", command) + " did not finish in " + COMMAND_TIMEOUT);
    }
    reader.join(Duration.ofSeconds(2));
    return p.exitValue();
  }

  private static int freePort() throws IOException {
    try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
