package io.taskmill.jdbc;

import io.taskmill.internal.dispatch.ReadyWrites;
import io.taskmill.spi.InsertedJob;
import io.taskmill.spi.Store;
import io.taskmill.testkit.store.TestJobs;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A store in a separate JVM, for what one process cannot show: file locks between processes and
 * durability across {@code kill -9}. {@link #main} opens a file store, optionally inserts a job,
 * prints a line, and holds the store until its stdin closes.
 */
final class StoreProcess implements AutoCloseable {
  private final Process process;
  private final BufferedReader out;

  private StoreProcess(Process process) {
    this.process = process;
    this.out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  /** Starts a JVM holding a store on {@code dataDir}; {@code insert} makes it insert one job. */
  static StoreProcess start(Path dataDir, boolean insert) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    var builder =
        new ProcessBuilder(
            java,
            "-cp",
            classpath,
            StoreProcess.class.getName(),
            dataDir.toString(),
            insert ? "insert" : "hold");
    builder.redirectError(ProcessBuilder.Redirect.INHERIT);
    return new StoreProcess(builder.start());
  }

  /** The line the process printed once its store was open (and its job inserted). */
  String awaitReady() throws IOException {
    String line = out.readLine();
    if (line == null) {
      throw new IOException("the store process ended before it was ready");
    }
    return line;
  }

  /** Kills the process the way {@code kill -9} does: no shutdown hooks, no flushing. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  @Override
  public void close() throws Exception {
    process.getOutputStream().close();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }

  public static void main(String[] args) throws IOException {
    try (Store store = H2Stores.file(Path.of(args[0]))) {
      String ready = "ready";
      if (args[1].equals("insert")) {
        InsertedJob job =
            ReadyWrites.insert(store, List.of(TestJobs.aJob().build()), "child").getFirst();
        ready = job.id().toString();
      }
      System.out.println(ready);
      System.out.flush();
      // Hold the store until the parent closes our stdin (or kills us).
      while (System.in.read() >= 0) {
        // ignore input
      }
    }
  }
}
