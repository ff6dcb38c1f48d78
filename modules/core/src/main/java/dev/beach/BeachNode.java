package dev.beach;

import dev.beach.impl.Nodes;
import dev.beach.spi.ActorFactory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * A Beach node: hosts actors, serves its share of the cluster's categories, and keeps the directory.
 * One per JVM in production ({@code beach node}); tests may run several in one JVM.
 */
public interface BeachNode {

  /**
   * Starts a node on an existing Vert.x. A clustered Vert.x joins its cluster; a plain one runs a
   * single-node Beach (the testkit's mode). Actor classes come from the classpath and from realm folders.
   * Completes once the node serves requests and its directory holds the other nodes' actors (or a few
   * seconds have passed: a slow peer is caught up by the periodic sync).
   */
  static Future<BeachNode> start(Vertx vertx, NodeOptions options) {
    return Nodes.start(vertx, options, null, false);
  }

  /** Like {@link #start(Vertx, NodeOptions)} with actor classes from {@code factory}. */
  static Future<BeachNode> start(Vertx vertx, NodeOptions options, ActorFactory factory) {
    return Nodes.start(vertx, options, factory, false);
  }

  /**
   * Creates a clustered Vert.x configured from {@code options.cluster} (Hazelcast, TCP-IP join on the seeds)
   * and starts a node on it; {@link #close()} closes that Vert.x too.
   */
  static Future<BeachNode> clustered(NodeOptions options) {
    return Nodes.clustered(options, null);
  }

  static Future<BeachNode> clustered(NodeOptions options, ActorFactory factory) {
    return Nodes.clustered(options, factory);
  }

  String id();

  Vertx vertx();

  Beach beach();

  NodeOptions options();

  /** This node's current statistics. */
  NodeInfo info();

  /**
   * The ports this node's direct links listen on (one per event loop, on {@code cluster.host}), in lane order;
   * empty when links are off or the node is not clustered. Local knowledge for firewall rules and banners: it
   * is never part of {@link #info()}, which other nodes and HTTP clients see.
   */
  java.util.List<Integer> linkPorts();

  /**
   * Whether this node should get traffic now: once the deployments it applies at start ({@link
   * NodeOptions#setDeployments}) run (each available and listed on this node, or failed, or {@code
   * node.readyTimeoutMs} passed), and not while it drains. The gateway's {@code /health/ready} answers it.
   */
  default Readiness readiness() {
    return info().ready() ? Readiness.READY : Readiness.waiting(java.util.List.of("node " + id() + " drains"));
  }

  /** Completes once this node is first ready ({@link #readiness()}): its start-up deployments run, or the wait ended. */
  default Future<Readiness> awaitReady() {
    return Future.succeededFuture(readiness());
  }

  /** Refuses new actors, lets running requests finish (up to the drain timeout), then stops every local actor. */
  Future<Void> drain();

  /** Drains, leaves the cluster and, when this node created its Vert.x, closes it. */
  Future<Void> close();

  /**
   * Completes when this node has closed, whoever closed it: {@link #close()}, or a remote
   * {@code shutdown} through the control plane. A launcher exits the process on it.
   */
  Future<Void> closeFuture();
}
