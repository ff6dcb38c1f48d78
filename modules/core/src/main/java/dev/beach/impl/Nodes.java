package dev.beach.impl;

import dev.beach.BeachException;
import dev.beach.BeachNode;
import dev.beach.NodeOptions;
import dev.beach.impl.cluster.HazelcastSupport;
import dev.beach.spi.ActorFactory;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/** How {@link BeachNode}'s factories start a node: on a Vert.x given to it, or on a clustered one made here. */
public final class Nodes {

  private Nodes() {
  }

  /** A node on {@code vertx}; {@code ownsVertx}: closing the node closes it too. */
  public static Future<BeachNode> start(Vertx vertx, NodeOptions options, ActorFactory factory, boolean ownsVertx) {
    return NodeRuntime.start(vertx, options, factory, ownsVertx);
  }

  /** A clustered Vert.x from {@code options.cluster} (Hazelcast, TCP-IP seeds), and a node on it that owns it. */
  public static Future<BeachNode> clustered(NodeOptions options, ActorFactory factory) {
    NodeOptions opts = options == null ? new NodeOptions() : options;
    try {
      opts.validate();
    } catch (BeachException e) {
      return Future.failedFuture(e);
    }
    return Vertx.builder()
      .with(HazelcastSupport.vertxOptions(opts.getCluster()))
      .withClusterManager(HazelcastSupport.clusterManager(opts.getCluster()))
      .buildClustered()
      .compose(vertx -> {
        Promise<BeachNode> result = Promise.promise();
        NodeRuntime.start(vertx, opts, factory, true).onComplete(ar -> {
          if (ar.succeeded()) {
            result.complete(ar.result());
          } else {
            closeOffLoop(vertx, () -> result.fail(ar.cause()));
          }
        });
        return result.future();
      });
  }

  /**
   * Closes {@code vertx} from a thread of its own, then runs {@code then}. Closed from one of its event loops,
   * the completion would be handed to that very loop after it terminated, and never run.
   */
  private static void closeOffLoop(Vertx vertx, Runnable then) {
    Thread closer = new Thread(() -> vertx.close().onComplete(ar -> then.run()), "beach-close-after-failed-start");
    closer.setDaemon(true);
    closer.start();
  }
}
