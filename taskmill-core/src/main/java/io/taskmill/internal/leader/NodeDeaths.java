package io.taskmill.internal.leader;

import io.taskmill.spi.LeaderTerm;
import io.taskmill.spi.Ops.JobExpireLeasesOf;
import io.taskmill.spi.Ops.LeaderHolds;
import io.taskmill.spi.Ops.NodeDeclareDead;
import io.taskmill.spi.Ops.NodeOverdue;
import io.taskmill.spi.Store;
import io.taskmill.spi.StoreOp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Declares dead the nodes that stopped heart-beating, and ends the leases of the jobs they run so
 * the rescuer takes them back at once instead of when each lease runs out. A leader-only duty.
 */
public final class NodeDeaths {
  private NodeDeaths() {}

  /**
   * Declares dead every alive node whose last heartbeat is before {@code heartbeatBefore}; returns
   * their ids, none unless {@code leader} still leads.
   */
  public static List<String> declare(
      Store store, LeaderTerm leader, Instant now, Instant heartbeatBefore) {
    return store.inTransaction(
        StoreOp.NODE,
        tx -> {
          if (tx.first(new LeaderHolds(leader, now)).isEmpty()) {
            return List.of();
          }
          var dead = new ArrayList<String>();
          for (String node : tx.query(new NodeOverdue(heartbeatBefore))) {
            if (tx.change(new NodeDeclareDead(node)) == 1) {
              tx.change(new JobExpireLeasesOf(node, now));
              dead.add(node);
            }
          }
          return dead;
        });
  }
}
