package dev.beach.bench;

import dev.beach.ActorSpec;
import dev.beach.BeachNode;
import dev.beach.ClusterOptions;
import dev.beach.NodeOptions;
import dev.beach.Placement;
import io.vertx.core.net.NetServerOptions;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;

/**
 * The second JVM of two-node scenarios: a clustered node hosting the echo actor, a raw Vert.x echo
 * consumer and a bare TCP echo server (the floor: what any request/reply over loopback costs). Prints
 * {@code READY <nodeId> <tcpEchoPort>} when all answer; exits when its standard input closes, so it
 * never outlives the benchmark that started it.
 */
public final class Peer {

  static final String RAW_ADDRESS = "rawbench.echo";
  static final String REALM = "bench";
  static final String CATEGORY = "echo";

  private Peer() {
  }

  /** The cluster secret both nodes of a run use: {@code BEACH_CLUSTER_SECRET}, as for {@code beach node}; null when unset. */
  static String secret() {
    String s = System.getenv("BEACH_CLUSTER_SECRET");
    return s == null || s.isEmpty() ? null : s;
  }

  public static void main(String[] args) throws Exception {
    Bench.quietLogging();
    int port = Integer.parseInt(args[0]);
    List<String> seeds = Arrays.asList(args[1].split(","));
    int actors = args.length > 2 ? Integer.parseInt(args[2]) : 1;
    BeachNode node = BeachNode.clustered(new NodeOptions()
      .setCluster(new ClusterOptions().setHost("127.0.0.1").setPort(port).setSeeds(seeds).setSecret(secret())))
      .toCompletionStage().toCompletableFuture().get();
    node.vertx().eventBus().consumer(RAW_ADDRESS, msg -> msg.reply(msg.body())).completion()
      .toCompletionStage().toCompletableFuture().get();
    node.beach().deploy(ActorSpec.of(REALM, BenchActors.Echo.class, CATEGORY).setInstances(actors)
      .setPlacement(Placement.local())).toCompletionStage().toCompletableFuture().get();
    int tcpPort = node.vertx().createNetServer(new NetServerOptions().setTcpNoDelay(true))
      .connectHandler(socket -> socket.handler(socket::write))
      .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get().actualPort();
    System.out.println("READY " + node.id() + " " + tcpPort);
    System.out.flush();
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
