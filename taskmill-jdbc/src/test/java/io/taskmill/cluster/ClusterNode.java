package io.taskmill.cluster;

import io.taskmill.Taskmill;
import io.taskmill.TaskmillBuilder;
import io.taskmill.schedule.ScheduleDefinition;
import java.time.Duration;
import java.util.Map;

/**
 * A worker JVM of the cluster harness: builds a Taskmill engine on a PostgreSQL schema with the
 * {@link Work} test handler, prints {@code ready <node> <pid>} once it is started, and runs until
 * it is killed, or stops gracefully on SIGTERM (the JVM's shutdown hook closes the engine). Started
 * by {@link NodeProcess} with {@code key=value} arguments from {@link NodeSettings}.
 */
public final class ClusterNode {
  /** Engine connections per node: small, so three nodes and the tests fit a shared server. */
  static final int POOL_SIZE = 4;

  /** Ledger connections per node, separate from the engine's (docs/testing.md). */
  static final int LEDGER_POOL_SIZE = 4;

  private ClusterNode() {}

  public static void main(String[] args) throws Exception {
    // A test JVM that dies without closing its cluster must not leave nodes running: die with it,
    // abruptly, as a crash would.
    ProcessHandle.current()
        .parent()
        .ifPresent(parent -> parent.onExit().thenRun(() -> Runtime.getRuntime().halt(3)));
    Map<String, String> a = NodeSettings.parse(args);
    String node = a.get("node");
    String url = a.get("url");
    String user = a.get("user");
    String password = a.get("password");
    var ledgerPool =
        EffectLedger.pool(
            url, user, password, LEDGER_POOL_SIZE, Boolean.parseBoolean(a.get("ledgerSyncCommit")));
    var ledger = new EffectLedger(ledgerPool);
    TaskmillBuilder builder =
        Taskmill.builder()
            .jdbcUrl(url, user, password)
            .nodeId(node)
            .poolSize(POOL_SIZE)
            .leaseDuration(Duration.ofMillis(Long.parseLong(a.get("leaseMs"))))
            .rescueInterval(Duration.ofMillis(Long.parseLong(a.get("rescueMs"))))
            .pollInterval(Duration.ofMillis(Long.parseLong(a.get("pollMs"))))
            .shutdownGrace(Duration.ofMillis(Long.parseLong(a.get("graceMs"))))
            .queue(
                TaskmillBuilder.DEFAULT_QUEUE,
                q -> q.concurrency(Integer.parseInt(a.get("concurrency"))));
    for (String type : a.get("types").split(",")) {
      builder.handler(type, Work.class, Work.handler(ledger, node));
    }
    if (a.containsKey("schedules")) {
      for (String declared : a.get("schedules").split(";")) {
        String[] f = declared.split("\\|");
        var definition =
            f[1].equals("every")
                ? ScheduleDefinition.every(f[0], Duration.parse(f[2]))
                : ScheduleDefinition.cron(f[0], f[2]).zone(f[3]);
        builder.schedule(definition.job(Work.TYPE, new Work(-1, 0)));
      }
    }
    Taskmill tm = builder.start();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  tm.close();
                  ledgerPool.close();
                  System.out.println("stopped " + node);
                  System.out.flush();
                },
                "cluster-node-shutdown"));
    System.out.println("ready " + node + " " + ProcessHandle.current().pid());
    System.out.flush();
    Thread.currentThread().join(); // until killed or terminated
  }
}
