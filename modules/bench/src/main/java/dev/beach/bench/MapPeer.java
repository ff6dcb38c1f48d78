package dev.beach.bench;

import dev.beach.Actor;
import dev.beach.ActorSpec;
import dev.beach.BeachNode;
import dev.beach.ClusterOptions;
import dev.beach.NodeOptions;
import dev.beach.Placement;
import io.vertx.core.Future;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;

/**
 * The second JVM of the map scenario: a clustered node hosting {@code workers} {@link Square} actors. Prints
 * {@code READY <nodeId>} when they are listed; exits when its standard input closes, so it never outlives the
 * benchmark that started it.
 */
public final class MapPeer {

  static final String REALM = "bench";
  static final String CATEGORY = "square";

  private MapPeer() {
  }

  /** A compute worker: {@code square} of an integer. Jobs reach it through the built-in {@code _batch} op. */
  public static class Square extends Actor {
    @Override
    public Future<?> start() {
      on("square", req -> {
        long n = ((Number) req.body()).longValue();
        req.reply(n * n);
      });
      return super.start();
    }
  }

  public static void main(String[] args) {
    try {
      Bench.quietLogging();
      int port = Integer.parseInt(args[0]);
      List<String> seeds = Arrays.asList(args[1].split(","));
      int workers = Integer.parseInt(args[2]);
      BeachNode node = BeachNode.clustered(new NodeOptions()
        .setCluster(new ClusterOptions().setHost("127.0.0.1").setPort(port).setSeeds(seeds)))
        .toCompletionStage().toCompletableFuture().get();
      node.beach().deploy(ActorSpec.of(REALM, Square.class, CATEGORY).setInstances(workers)
        .setPlacement(Placement.local())).toCompletionStage().toCompletableFuture().get();
      System.out.println("READY " + node.id());
      System.out.flush();
    } catch (Throwable t) {
      // Vert.x and Hazelcast threads would keep a failed JVM alive: say why and go.
      t.printStackTrace();
      Runtime.getRuntime().halt(1);
    }
    InputStream in = System.in;
    try {
      while (in.read() >= 0) {
        // wait for the parent to close our input
      }
    } catch (IOException ignored) {
      // parent gone
    }
    Runtime.getRuntime().halt(0);
  }
}
