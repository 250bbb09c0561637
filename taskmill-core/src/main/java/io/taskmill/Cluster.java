package io.taskmill;

import io.taskmill.internal.Engine;
import io.taskmill.node.Leadership;
import io.taskmill.node.Node;
import io.taskmill.spi.Ops.LeaderGet;
import io.taskmill.spi.Ops.NodeList;
import io.taskmill.spi.StoreOp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The nodes sharing this engine's store and who leads them. */
public final class Cluster {
  private final Engine engine;

  Cluster(Engine engine) {
    this.engine = engine;
  }

  /** Every node that has registered with the store and not yet been pruned, by id. */
  public List<Node> nodes() {
    return engine.store().read(StoreOp.NODE, tx -> tx.query(new NodeList()));
  }

  /** The current leadership; it may have lapsed if the leader died moments ago. */
  public Optional<Leadership> leader() {
    return engine.store().read(StoreOp.LEADER, tx -> tx.first(new LeaderGet()));
  }

  /**
   * The time by the store's clock, which every node sharing it agrees on; reading it is the
   * cheapest proof that the store answers.
   *
   * @throws io.taskmill.spi.StoreUnavailableException when the store cannot be reached
   */
  public Instant storeTime() {
    return engine.store().storeTime();
  }

  /** Whether this node leads now, by its own account of its term. */
  public boolean isLeader() {
    return engine.isLeader();
  }
}
