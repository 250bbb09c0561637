package io.taskmill.node;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * One engine instance sharing a store, as it last reported itself in its heartbeat.
 *
 * @param id the node id written in leases and job events
 * @param host host name the node runs on
 * @param pid operating-system process id
 * @param version Taskmill version the node runs
 * @param queues queue name to concurrency on that node
 * @param types job types the node has handlers for
 * @param concurrency sum of the node's queue concurrencies
 * @param startedAt when the node started, by the store's clock
 * @param heartbeatAt its last heartbeat, by the store's clock
 * @param running jobs running on the node at its last heartbeat
 * @param cpuLoad the process's recent CPU load from 0 to 1, or -1 when unknown
 * @param heapUsed heap bytes in use
 * @param heapMax heap bytes the JVM may use, or -1 when unbounded
 */
public record Node(
    String id,
    String host,
    long pid,
    String version,
    Map<String, Integer> queues,
    Set<String> types,
    int concurrency,
    Instant startedAt,
    Instant heartbeatAt,
    int running,
    double cpuLoad,
    long heapUsed,
    long heapMax,
    NodeState state) {

  public Node {
    queues = Map.copyOf(queues);
    types = Set.copyOf(types);
  }

  /** This node with a new heartbeat time and load figures. */
  public Node beat(Instant at, int runningNow, double cpu, long heapUsedNow, long heapMaxNow) {
    return new Node(
        id,
        host,
        pid,
        version,
        queues,
        types,
        concurrency,
        startedAt,
        at,
        runningNow,
        cpu,
        heapUsedNow,
        heapMaxNow,
        NodeState.ALIVE);
  }
}
