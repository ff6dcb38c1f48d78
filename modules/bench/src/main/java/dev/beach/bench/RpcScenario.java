package dev.beach.bench;

import dev.beach.ActorHandle;
import dev.beach.BeachNode;
import dev.beach.ClusterOptions;
import dev.beach.NodeOptions;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * Cross-node request/reply through Beach's {@link ActorHandle} and through the raw clustered event bus, in
 * the same run, same payload, same two JVMs: one request at a time (latency, rate) and 256 in flight.
 */
public final class RpcScenario implements Scenario {

  @Override
  public String name() {
    return "rpc";
  }

  @Override
  public String description() {
    return "cross-node request/reply, Beach handle vs raw event bus, 1 and 256 in flight [--seconds 5];"
      + " both nodes take BEACH_CLUSTER_SECRET when it is set";
  }

  @Override
  public JsonObject run(List<String> args) throws Exception {
    long seconds = Bench.option(args, "seconds", 5);
    int p1 = freePort();
    int p2 = freePort();
    String seeds = "127.0.0.1:" + p1 + ",127.0.0.1:" + p2;
    Process peer = startPeer(p2, seeds);
    BeachNode node = null;
    try {
      node = await(BeachNode.clustered(new NodeOptions().setCluster(new ClusterOptions()
        .setHost("127.0.0.1").setPort(p1).setSeeds(Arrays.asList(seeds.split(","))).setSecret(Peer.secret()))));
      String[] ready = awaitReady(peer).split(" ");
      String peerId = ready[0];
      BeachNode n = node;
      long deadline = System.currentTimeMillis() + 30_000;
      while (n.beach().directory(Peer.REALM, Peer.CATEGORY).isEmpty() && System.currentTimeMillis() < deadline) {
        Thread.sleep(20);
      }
      System.out.println("peer " + peerId + " ready; echo actors: " + n.beach().directory(Peer.REALM, Peer.CATEGORY));
      Vertx vertx = node.vertx();
      ActorHandle handle = node.beach().handle(Peer.REALM, Peer.CATEGORY).withRetries(0);
      JsonObject payload = new JsonObject().put("n", 42).put("text", "hello beach");
      Supplier<Future<Object>> raw = () -> vertx.eventBus().request(Peer.RAW_ADDRESS, payload).map(m -> m.body());
      Supplier<Future<Object>> beach = () -> handle.request("echo", payload);
      TcpEcho tcp = new TcpEcho(vertx, Integer.parseInt(ready[1]), payload.toBuffer().length());

      System.out.println("warming up");
      sync(vertx, raw, 3);
      sync(vertx, beach, 3);
      sync(tcp.context, tcp, 2);
      pipelined(vertx, raw, 256, 2);
      pipelined(vertx, beach, 256, 2);

      // Alternate the paths and keep each one's better round, so none gains from running later.
      double[] rawSync = {0, Double.MAX_VALUE};
      double[] beachSync = {0, Double.MAX_VALUE};
      double[] tcpSync = {0, Double.MAX_VALUE};
      double rawPipe = 0;
      double beachPipe = 0;
      for (int round = 0; round < 2; round++) {
        double[] rs = sync(vertx, raw, seconds);
        double[] bs = sync(vertx, beach, seconds);
        double[] ts = sync(tcp.context, tcp, seconds);
        double rp = pipelined(vertx, raw, 256, seconds);
        double bp = pipelined(vertx, beach, 256, seconds);
        System.out.printf("round %d: sync raw %.0f/s (p50 %.1f us), beach %.0f/s (p50 %.1f us), bare tcp %.0f/s (p50 %.1f us);"
            + " 256 in flight raw %.0f/s, beach %.0f/s%n",
          round + 1, rs[0], rs[1], bs[0], bs[1], ts[0], ts[1], rp, bp);
        best(tcpSync, ts);
        best(rawSync, rs);
        best(beachSync, bs);
        rawPipe = Math.max(rawPipe, rp);
        beachPipe = Math.max(beachPipe, bp);
      }
      return new JsonObject()
        .put("beach_sync_per_s", Math.round(beachSync[0]))
        .put("raw_sync_per_s", Math.round(rawSync[0]))
        .put("beach_p50_us", Math.round(beachSync[1] * 10) / 10.0)
        .put("raw_p50_us", Math.round(rawSync[1] * 10) / 10.0)
        .put("beach_pipelined_per_s", Math.round(beachPipe))
        .put("raw_pipelined_per_s", Math.round(rawPipe))
        .put("sync_ratio", Math.round(beachSync[0] / rawSync[0] * 100) / 100.0)
        .put("tcp_sync_per_s", Math.round(tcpSync[0]))
        .put("tcp_p50_us", Math.round(tcpSync[1] * 10) / 10.0)
        .put("seconds_per_measure", seconds)
        .put("cluster_secret", Peer.secret() != null);
    } finally {
      peer.getOutputStream().close();
      peer.destroy();
      peer.waitFor();
      if (node != null) {
        await(node.close());
      }
    }
  }

  /**
   * The floor: one bare TCP connection to the peer's echo server, {@code size} bytes out and the same back per
   * call, no framing, no codec, no routing, called from the connection's own context so that nothing changes
   * threads. One call at a time only (it is for the sync figures).
   */
  private static final class TcpEcho implements Supplier<Future<Object>> {
    /** Held for the run: Vert.x closes a client, and its connections, once the client is garbage. */
    private final NetClient client;
    private final NetSocket socket;
    private final Context context;
    private final Buffer message;
    private int received;
    private Promise<Object> waiting;

    TcpEcho(Vertx vertx, int port, int size) throws Exception {
      client = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true));
      context = vertx.getOrCreateContext();
      Promise<NetSocket> connected = Promise.promise();
      context.runOnContext(v -> client.connect(port, "127.0.0.1").onComplete(connected));
      socket = await(connected.future());
      message = Buffer.buffer(new byte[size]);
      socket.handler(b -> {
        received += b.length();
        if (received >= size) {
          received -= size;
          waiting.complete(null);
        }
      });
    }

    @Override
    public Future<Object> get() {
      waiting = Promise.promise();
      socket.write(message.copy());
      return waiting.future();
    }
  }

  private static void best(double[] best, double[] got) {
    if (got[0] > best[0]) {
      best[0] = got[0];
      best[1] = got[1];
    }
  }

  /** One request at a time for {@code seconds}: {rate per second, p50 microseconds}. */
  static double[] sync(Vertx vertx, Supplier<Future<Object>> call, long seconds) throws Exception {
    return sync(vertx.getOrCreateContext(), call, seconds);
  }

  /** As {@link #sync(Vertx, Supplier, long)}, calling from {@code context}. */
  static double[] sync(Context context, Supplier<Future<Object>> call, long seconds) throws Exception {
    long[] latencies = new long[4_000_000];
    int[] count = {0};
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    Promise<Void> done = Promise.promise();
    long t0 = System.nanoTime();
    context.runOnContext(v -> next(call, latencies, count, end, done));
    await(done.future());
    double elapsed = (System.nanoTime() - t0) / 1e9;
    long[] sorted = Arrays.copyOf(latencies, count[0]);
    Arrays.sort(sorted);
    return new double[]{count[0] / elapsed, sorted[sorted.length / 2] / 1000.0};
  }

  private static void next(Supplier<Future<Object>> call, long[] latencies, int[] count, long end, Promise<Void> done) {
    long start = System.nanoTime();
    call.get().onComplete(ar -> {
      long now = System.nanoTime();
      if (ar.failed()) {
        done.tryFail(ar.cause());
        return;
      }
      if (count[0] < latencies.length) {
        latencies[count[0]++] = now - start;
      }
      if (now < end) {
        next(call, latencies, count, end, done);
      } else {
        done.tryComplete();
      }
    });
  }

  /** {@code inFlight} requests outstanding at all times for {@code seconds}: completed per second. */
  static double pipelined(Vertx vertx, Supplier<Future<Object>> call, int inFlight, long seconds) throws Exception {
    long[] completed = {0};
    int[] outstanding = {0};
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    Promise<Void> done = Promise.promise();
    long t0 = System.nanoTime();
    vertx.runOnContext(v -> {
      for (int i = 0; i < inFlight; i++) {
        fire(call, completed, outstanding, end, done);
      }
    });
    await(done.future());
    return completed[0] / ((System.nanoTime() - t0) / 1e9);
  }

  private static void fire(Supplier<Future<Object>> call, long[] completed, int[] outstanding, long end, Promise<Void> done) {
    outstanding[0]++;
    call.get().onComplete(ar -> {
      outstanding[0]--;
      if (ar.failed()) {
        done.tryFail(ar.cause());
        return;
      }
      completed[0]++;
      if (System.nanoTime() < end) {
        fire(call, completed, outstanding, end, done);
      } else if (outstanding[0] == 0) {
        done.tryComplete();
      }
    });
  }

  static Process startPeer(int port, String seeds) throws Exception {
    String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx1g"));
    cmd.addAll(HazelcastFlags.FLAGS);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Peer.class.getName(),
      Integer.toString(port), seeds));
    return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  static String awaitReady(Process peer) throws Exception {
    BufferedReader out = new BufferedReader(new InputStreamReader(peer.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith("READY ")) {
        return line.substring(6);
      }
    }
    throw new IllegalStateException("peer JVM exited before it was ready (exit " + peer.waitFor() + ")");
  }

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      return s.getLocalPort();
    }
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get();
  }
}
