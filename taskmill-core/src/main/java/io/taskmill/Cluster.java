package io.taskmill;

import io.taskmill.node.Leadership;
import io.taskmill.node.Node;
import java.util.List;
import java.util.Optional;

/** The nodes sharing this engine's store and who leads them. */
public interface Cluster {

  /** Every node that has registered with the store and not yet been pruned, by id. */
  List<Node> nodes();

  /** The current leadership; it may have lapsed if the leader died moments ago. */
  Optional<Leadership> leader();

  /** Whether this node leads now, by its own account of its term. */
  boolean isLeader();
}
