package io.taskmill.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How one {@link ClusterNode} JVM is configured: its database schema, handler types, slots and the
 * timing knobs of docs/testing.md (scaled down so the tests stay short).
 *
 * @param types job types this node has handlers for (all run {@link Work#handler})
 * @param launchPrefix a command the JVM runs under, e.g. {@code ip netns exec w1}; empty for none
 * @param schedules schedules the node declares in code, each {@code name|cron|expression|zone} or
 *     {@code name|every|ISO duration}; their jobs are {@link Work} of {@link Work#TYPE}
 * @param ledgerSyncCommit whether effect rows wait for the WAL flush: needed where the test crashes
 *     the server (a lost effect would hide a duplicate); elsewhere off, since one fsync per job on
 *     a shared disk otherwise sets the cluster's pace
 */
record NodeSettings(
    String nodeId,
    PgTarget db,
    String schema,
    List<String> types,
    int concurrency,
    Duration lease,
    Duration rescue,
    Duration poll,
    Duration grace,
    List<String> launchPrefix,
    boolean ledgerSyncCommit,
    List<String> schedules) {

  NodeSettings {
    types = List.copyOf(types);
    launchPrefix = List.copyOf(launchPrefix);
    schedules = List.copyOf(schedules);
  }

  /** Test defaults: lease 5 s, rescue every 1 s, poll 1 s, 32 slots, the {@link Work} type. */
  static NodeSettings defaults(String nodeId, PgTarget db, String schema) {
    return new NodeSettings(
        nodeId,
        db,
        schema,
        List.of(Work.TYPE),
        32,
        Duration.ofSeconds(5),
        Duration.ofSeconds(1),
        Duration.ofSeconds(1),
        Duration.ofSeconds(10),
        List.of(),
        false,
        List.of());
  }

  NodeSettings withNodeId(String id) {
    return new NodeSettings(
        id,
        db,
        schema,
        types,
        concurrency,
        lease,
        rescue,
        poll,
        grace,
        launchPrefix,
        ledgerSyncCommit,
        schedules);
  }

  NodeSettings withDb(PgTarget target) {
    return new NodeSettings(
        nodeId,
        target,
        schema,
        types,
        concurrency,
        lease,
        rescue,
        poll,
        grace,
        launchPrefix,
        ledgerSyncCommit,
        schedules);
  }

  NodeSettings withTypes(String... t) {
    return new NodeSettings(
        nodeId,
        db,
        schema,
        List.of(t),
        concurrency,
        lease,
        rescue,
        poll,
        grace,
        launchPrefix,
        ledgerSyncCommit,
        schedules);
  }

  NodeSettings withConcurrency(int n) {
    return new NodeSettings(
        nodeId,
        db,
        schema,
        types,
        n,
        lease,
        rescue,
        poll,
        grace,
        launchPrefix,
        ledgerSyncCommit,
        schedules);
  }

  NodeSettings withLease(Duration d) {
    return new NodeSettings(
        nodeId,
        db,
        schema,
        types,
        concurrency,
        d,
        rescue,
        poll,
        grace,
        launchPrefix,
        ledgerSyncCommit,
        schedules);
  }

  NodeSettings withGrace(Duration d) {
    return new NodeSettings(
        nodeId,
        db,
        schema,
        types,
        concurrency,
        lease,
        rescue,
        poll,
        d,
        launchPrefix,
        ledgerSyncCommit,
        schedules);
  }

  NodeSettings withLedgerSyncCommit(boolean sync) {
    return new NodeSettings(
        nodeId,
        db,
        schema,
        types,
        concurrency,
        lease,
        rescue,
        poll,
        grace,
        launchPrefix,
        sync,
        schedules);
  }

  NodeSettings withLaunchPrefix(String... command) {
    return new NodeSettings(
        nodeId,
        db,
        schema,
        types,
        concurrency,
        lease,
        rescue,
        poll,
        grace,
        List.of(command),
        ledgerSyncCommit,
        schedules);
  }

  NodeSettings withSchedules(String... declared) {
    return new NodeSettings(
        nodeId,
        db,
        schema,
        types,
        concurrency,
        lease,
        rescue,
        poll,
        grace,
        launchPrefix,
        ledgerSyncCommit,
        List.of(declared));
  }

  /** How often the node's heartbeat runs (the engine's rule: a third of the lease). */
  Duration heartbeat() {
    return lease.dividedBy(3);
  }

  /**
   * The longest a job leased by a node that died may wait before another node claims it: the lease
   * may have just been renewed, the rescuer looks once per interval, and a rescued job is announced
   * at once but found by polling at worst. T_orphan in docs/testing.md.
   */
  Duration orphanBound() {
    return lease.plus(rescue).plus(poll);
  }

  /** The application_name of a node's database sessions, so a test can tell when they ended. */
  static String applicationName(String nodeId) {
    return "taskmill-node-" + nodeId;
  }

  /** The arguments {@link ClusterNode#main} parses. */
  List<String> toArgs() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("node", nodeId);
    m.put("url", db.url(schema) + "&ApplicationName=" + applicationName(nodeId));
    m.put("user", db.user());
    if (db.password() != null) {
      m.put("password", db.password());
    }
    m.put("types", String.join(",", types));
    m.put("concurrency", Integer.toString(concurrency));
    m.put("leaseMs", Long.toString(lease.toMillis()));
    m.put("rescueMs", Long.toString(rescue.toMillis()));
    m.put("pollMs", Long.toString(poll.toMillis()));
    m.put("graceMs", Long.toString(grace.toMillis()));
    m.put("ledgerSyncCommit", Boolean.toString(ledgerSyncCommit));
    if (!schedules.isEmpty()) {
      m.put("schedules", String.join(";", schedules));
    }
    var args = new ArrayList<String>();
    m.forEach((k, v) -> args.add(k + "=" + v));
    return args;
  }

  static Map<String, String> parse(String[] args) {
    var m = new LinkedHashMap<String, String>();
    for (String a : args) {
      int eq = a.indexOf('=');
      if (eq < 1) {
        throw new IllegalArgumentException("expected key=value, got '" + a + "'");
      }
      m.put(a.substring(0, eq), a.substring(eq + 1));
    }
    return m;
  }
}
