package io.taskmill.bench.peers;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.UnaryOperator;
import org.slf4j.LoggerFactory;

/**
 * {@code --peers}: db-scheduler and JobRunr on the PostgreSQL database Taskmill was measured on,
 * one after the other, each in a fresh schema of its own (dropped afterwards) and in its best
 * documented throughput configuration, measured as the bench measures Taskmill: a drain of N no-op
 * jobs enqueued while the peer's scheduler was stopped, then idle pickup latency one job at a time.
 * The configurations and the reasons for them are in docs/benchmarks.md, "Peers".
 */
public final class Peers {
  /** Where progress lines go (stderr, as the bench's own). */
  @FunctionalInterface
  public interface Progress {
    void say(String format, Object... args);
  }

  /**
   * What the peers run with.
   *
   * @param dbUrl the PostgreSQL JDBC URL (each peer adds its own {@code currentSchema})
   * @param jobs N: jobs each peer enqueues and drains
   * @param warmupJobs jobs each peer drains first, unmeasured
   * @param batch jobs per batch enqueue call
   * @param samples db-scheduler's pickup samples (Taskmill's count)
   * @param pollingPeerSamples JobRunr's pickup samples: each waits for its poll of seconds
   * @param drainPollMs how often a drain's progress is read (in memory)
   * @param phaseTimeout give up on a drain after this long
   * @param verbose log the peers' INFO lines (else WARN and above only)
   * @param withoutPassword masks a password in a URL or driver message
   */
  public record Settings(
      String dbUrl,
      String dbUser,
      String dbPassword,
      int jobs,
      int warmupJobs,
      int batch,
      int samples,
      int pollingPeerSamples,
      int drainPollMs,
      Duration phaseTimeout,
      boolean verbose,
      UnaryOperator<String> withoutPassword) {

    String masked(String text) {
      return text == null ? null : withoutPassword.apply(text);
    }

    /** Warm-up pickup samples before the measured ones: as many as Taskmill's warm-up takes. */
    public int warmPickupSamples() {
      return Math.min(200, Math.max(samples / 10, 20));
    }

    /** How long one pickup sample may take on a scheduler that is woken at once. */
    Duration sampleTimeout() {
      return phaseTimeout.compareTo(Duration.ofSeconds(30)) < 0
          ? phaseTimeout
          : Duration.ofSeconds(30);
    }
  }

  /** One peer: how it is set up and measured. */
  interface Peer {
    /** The name printed. */
    String name();

    /** The part of its schema's name after {@code taskmill_bench_}. */
    String schemaTag();

    /** Sets the peer up in {@code db}'s schema, measures it and stops it again. */
    SystemFigures measure(PeerDatabase db, Settings settings, Progress progress) throws Exception;
  }

  private Peers() {}

  /** Measures db-scheduler, then JobRunr; each schema is dropped before the next peer starts. */
  public static List<SystemFigures> measure(Settings settings, Progress progress) throws Exception {
    setLogLevels(settings.verbose());
    var figures = new ArrayList<SystemFigures>();
    for (Peer peer : List.of(new DbSchedulerPeer(), new JobRunrPeer())) {
      try (var db = PeerDatabase.create(settings, peer.schemaTag())) {
        progress.say("%s: schema %s", peer.name(), db.schema());
        figures.add(peer.measure(db, settings, progress));
      }
    }
    return figures;
  }

  /** The peers' own logging: WARN and above, or INFO and above with {@code -v}. */
  private static void setLogLevels(boolean verbose) {
    Level level = verbose ? Level.INFO : Level.WARN;
    for (String name : List.of("com.github.kagkarlsson", "org.jobrunr", "com.zaxxer.hikari")) {
      if (LoggerFactory.getLogger(name) instanceof Logger logger) {
        logger.setLevel(level);
      }
    }
  }

  /**
   * The version in a jar's Maven {@code pom.properties} or, failing that, its manifest's
   * Implementation-Version; "unknown" if neither says.
   */
  static String version(Class<?> fromJar, String groupId, String artifactId) {
    String resource = "/META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties";
    try (InputStream in = fromJar.getResourceAsStream(resource)) {
      if (in != null) {
        var p = new Properties();
        p.load(in);
        String v = p.getProperty("version");
        if (v != null && !v.isBlank()) {
          return v;
        }
      }
    } catch (IOException e) {
      // fall back to the manifest
    }
    String v =
        fromJar.getPackage() == null ? null : fromJar.getPackage().getImplementationVersion();
    return v == null ? "unknown" : v;
  }
}
