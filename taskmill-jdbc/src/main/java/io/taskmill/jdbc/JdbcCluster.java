package io.taskmill.jdbc;

import io.taskmill.node.Leadership;
import io.taskmill.node.Node;
import io.taskmill.node.NodeState;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code tm_node} and {@code tm_leader} tables and leader-fenced writes: binds, runs and maps
 * the queries of {@code cluster.sql}.
 */
final class JdbcCluster {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final TypeReference<Map<String, Integer>> QUEUES = new TypeReference<>() {};
  private static final TypeReference<List<String>> TYPES = new TypeReference<>() {};

  private final NamedSql storeTime;
  private final NamedSql nodeState;
  private final NamedSql insertNode;
  private final NamedSql updateNode;
  private final NamedSql tryLead;
  private final NamedSql getLeader;

  JdbcCluster(SqlFile sql) {
    storeTime = sql.get("storeTime");
    nodeState = sql.get("nodeState");
    insertNode = sql.get("insertNode");
    updateNode = sql.get("updateNode");
    tryLead = sql.get("tryLead");
    getLeader = sql.get("leaderGet");
  }

  Instant storeTime(Connection c) throws SQLException {
    return storeTime.query(c, Params.of(), rs -> JobRows.instant(rs, "now")).getFirst();
  }

  /** Upserts the node's row as alive; returns false when it had been declared dead. */
  boolean heartbeat(Connection c, Node node) throws SQLException {
    List<String> state = nodeState.query(c, Params.of("id", node.id()), rs -> rs.getString(1));
    Params p =
        Params.of("id", node.id())
            .set("host", node.host())
            .set("pid", node.pid())
            .set("version", node.version())
            .set("queues", JSON.writeValueAsString(node.queues()))
            .set("types", JSON.writeValueAsString(node.types().stream().sorted().toList()))
            .set("concurrency", node.concurrency())
            .set("startedAt", node.startedAt())
            .set("heartbeatAt", node.heartbeatAt())
            .set("running", node.running())
            .set("cpuLoad", node.cpuLoad())
            .set("heapUsed", node.heapUsed())
            .set("heapMax", node.heapMax());
    if (state.isEmpty()) {
      insertNode.update(c, p);
      return true;
    }
    updateNode.update(c, p);
    return !NodeState.DEAD.name().equals(state.getFirst());
  }

  Leadership tryLead(Connection c, String node, Instant now, Instant expiresAt)
      throws SQLException {
    tryLead.update(c, Params.of("node", node).set("now", now).set("expiresAt", expiresAt));
    return leader(c).orElseThrow();
  }

  Optional<Leadership> leader(Connection c) throws SQLException {
    return getLeader
        .query(
            c,
            Params.of(),
            rs ->
                new Leadership(
                    rs.getString("node"), rs.getLong("term"), JobRows.instant(rs, "expires_at")))
        .stream()
        .findFirst();
  }

  static Node node(ResultSet rs) throws SQLException {
    return new Node(
        rs.getString("id"),
        rs.getString("host"),
        rs.getLong("pid"),
        rs.getString("version"),
        JSON.readValue(rs.getString("queues"), QUEUES),
        Set.copyOf(JSON.readValue(rs.getString("types"), TYPES)),
        rs.getInt("concurrency"),
        JobRows.instant(rs, "started_at"),
        JobRows.instant(rs, "heartbeat_at"),
        rs.getInt("running"),
        rs.getDouble("cpu_load"),
        rs.getLong("heap_used"),
        rs.getLong("heap_max"),
        NodeState.valueOf(rs.getString("state")));
  }
}
