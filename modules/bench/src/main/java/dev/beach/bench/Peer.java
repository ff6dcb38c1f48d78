package dev.beach.bench;

import dev.beach.ActorSpec;
import dev.beach.BeachNode;
import dev.beach.ClusterOptions;
import dev.beach.NodeOptions;
import dev.beach.Placement;
import io.vertx.core.net.NetServerOptions;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The second node of two-node scenarios, in a JVM of its own: a clustered node hosting the categories it is told
 * to, a raw Vert.x echo consumer and a bare TCP echo server (the floor: what any request/reply over loopback
 * costs). Prints {@code READY <nodeId> <tcpEchoPort>} when all answer.
 * <p>
 * Arguments: {@code <hazelcastPort> <seed,seed> [category:ActorClass:instances]...} with an actor class of
 * {@link BenchActors} (e.g. {@code echo:Echo:1}).
 */
public final class Peer {

  static final String RAW_ADDRESS = "rawbench.echo";

  private Peer() {
  }

  /** A peer JVM, started; {@link #awaitReady()} before using it. */
  static final class Running implements AutoCloseable {
    private final ChildJvm jvm;
    private String nodeId;
    private int tcpEchoPort;

    private Running(ChildJvm jvm) {
      this.jvm = jvm;
    }

    /** Waits until the peer has joined and hosts its actors. */
    Running awaitReady() throws InterruptedException {
      if (nodeId == null) {
        String[] ready = jvm.awaitLine("READY ", 120).split(" ");
        nodeId = ready[0];
        tcpEchoPort = Integer.parseInt(ready[1]);
      }
      return this;
    }

    String nodeId() {
      return nodeId;
    }

    int tcpEchoPort() {
      return tcpEchoPort;
    }

    ChildJvm jvm() {
      return jvm;
    }

    @Override
    public void close() {
      jvm.close();
    }
  }

  /**
   * Starts a peer on {@code port} joining {@code seeds}, hosting {@code deploy}, and returns at once: the caller
   * starts its own node meanwhile (both join the same seeds), then calls {@link Running#awaitReady()}.
   */
  static Running start(int port, List<String> seeds, String... deploy) throws IOException {
    return start(port, seeds, false, deploy);
  }

  /** @param trace whether the peer traces every request too ({@code bench rpc --trace}) */
  static Running start(int port, List<String> seeds, boolean trace, String... deploy) throws IOException {
    List<String> args = new ArrayList<>(List.of(Integer.toString(port), String.join(",", seeds),
      trace ? TRACE : NO_TRACE));
    args.addAll(Arrays.asList(deploy));
    return new Running(ChildJvm.start("peer", Peer.class, "1g", args));
  }

  /**
   * The cluster options of a node on loopback at {@code port}, secured as the environment says, the same for every
   * node of a run (child JVMs inherit it): {@code BEACH_CLUSTER_SECRET} as for {@code beach node}, and
   * {@code BEACH_BENCH_TLS}, a folder made by {@code beach certs --node bench}, for mutual TLS on the event bus and
   * the node links.
   */
  static ClusterOptions loopback(int port, List<String> seeds) {
    ClusterOptions options = new ClusterOptions().setHost("127.0.0.1").setPort(port).setSeeds(seeds);
    String secret = secret();
    if (secret != null) {
      options.setSecret(secret);
    }
    String tls = tlsDir();
    if (tls != null) {
      options.setTls(tls + "/bench-key.pem", tls + "/bench.pem", tls + "/ca.pem");
    }
    return options;
  }

  /** {@code BEACH_CLUSTER_SECRET}, or null. */
  static String secret() {
    String s = System.getenv("BEACH_CLUSTER_SECRET");
    return s == null || s.isEmpty() ? null : s;
  }

  /** {@code BEACH_BENCH_TLS}, or null. */
  static String tlsDir() {
    String s = System.getenv("BEACH_BENCH_TLS");
    return s == null || s.isEmpty() ? null : s;
  }

  private static final String TRACE = "trace";
  private static final String NO_TRACE = "-";

  public static void main(String[] args) {
    try {
      Bench.quietLogging();
      boolean trace = TRACE.equals(args[2]);
      if (trace) {
        BenchTracing.install();
      }
      BeachNode node = Bench.await(BeachNode.clustered(new NodeOptions().setTracingEnabled(trace)
        .setCluster(loopback(Integer.parseInt(args[0]), Arrays.asList(args[1].split(","))))));
      Bench.await(node.vertx().eventBus().consumer(RAW_ADDRESS, msg -> msg.reply(msg.body())).completion());
      for (String spec : Arrays.asList(args).subList(3, args.length)) {
        String[] parts = spec.split(":");
        Bench.await(node.beach().deploy(ActorSpec.of(BenchActors.REALM, BenchActors.named(parts[1]), parts[0])
          .setInstances(Integer.parseInt(parts[2])).setPlacement(Placement.local())));
      }
      int tcpPort = Bench.await(node.vertx().createNetServer(new NetServerOptions().setTcpNoDelay(true))
        .connectHandler(socket -> socket.handler(socket::write))
        .listen(0, "127.0.0.1")).actualPort();
      System.out.println("READY " + node.id() + " " + tcpPort);
    } catch (Throwable t) {
      ChildJvm.fail(t);
    }
    ChildJvm.haltWhenInputCloses();
  }
}
