package dev.beach.compute;

import dev.beach.ActorSpec;
import dev.beach.BeachNode;
import dev.beach.ClusterOptions;
import dev.beach.NodeOptions;
import dev.beach.Placement;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;

/**
 * A worker node in a JVM of its own, for tests that kill one with SIGKILL: joins the cluster, starts
 * {@code actors} {@link TestWorkers.Square} workers in realm/category {@code args[2]}/{@code args[3]} on itself,
 * prints {@code READY <nodeId>}, and exits when its standard input closes, so it never outlives the test.
 */
public final class WorkerProcess {

  private WorkerProcess() {
  }

  public static void main(String[] args) {
    try {
      run(args);
    } catch (Throwable t) {
      // Vert.x and Hazelcast threads would keep a failed JVM alive: say why and go.
      t.printStackTrace(System.out);
      System.out.flush();
      Runtime.getRuntime().halt(1);
    }
  }

  private static void run(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    List<String> seeds = Arrays.asList(args[1].split(","));
    String realm = args[2];
    String category = args[3];
    int actors = Integer.parseInt(args[4]);
    BeachNode node = BeachNode.clustered(new NodeOptions()
      .setCluster(new ClusterOptions().setHost("127.0.0.1").setPort(port).setSeeds(seeds))
      .setStatsIntervalMs(200))
      .toCompletionStage().toCompletableFuture().get();
    node.beach().deploy(ActorSpec.of(realm, TestWorkers.Square.class, category).setInstances(actors)
      .setPlacement(Placement.local())).toCompletionStage().toCompletableFuture().get();
    System.out.println("READY " + node.id());
    System.out.flush();
    InputStream in = System.in;
    try {
      while (in.read() >= 0) {
        // wait for the test to close our input
      }
    } catch (IOException ignored) {
      // the test is gone
    }
    Runtime.getRuntime().halt(0);
  }
}
