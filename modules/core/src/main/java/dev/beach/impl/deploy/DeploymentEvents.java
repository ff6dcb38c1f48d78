package dev.beach.impl.deploy;

import dev.beach.Address;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * The events of desired state, published on the cluster events address beside {@code actor.*} and {@code node.*}
 * (the gateway streams them on {@code /v1/events}): {@code deployment.applied|scaled|removed|restarted} by the node
 * that changed the record; {@code deployment.progressing|available|degraded|failed} on each state change,
 * {@code deployment.restarting} (an instance waits out a backoff) and {@code deployment.crashloop} by the leader;
 * {@code actor.exited} by the node whose supervised actor stopped (why: stopped, drained, exited, failed) and
 * {@code node.draining} by a node handing its supervised actors over before it stops.
 */
final class DeploymentEvents {

  static final String APPLIED = "deployment.applied";
  static final String SCALED = "deployment.scaled";
  static final String REMOVED = "deployment.removed";
  static final String RESTARTED = "deployment.restarted";
  static final String ACTOR_EXITED = "actor.exited";
  static final String NODE_DRAINING = "node.draining";
  static final String NODE_JOINED = "node.joined";

  private final Vertx vertx;
  private final String nodeId;

  DeploymentEvents(Vertx vertx, String nodeId) {
    this.vertx = vertx;
    this.nodeId = nodeId;
  }

  /** Publishes {@code event} (which has its {@code type}) stamped with the time and this node. */
  void publish(JsonObject event) {
    vertx.eventBus().publish(Address.EVENTS, event.copy().put("time", System.currentTimeMillis()).put("node", nodeId));
  }
}
