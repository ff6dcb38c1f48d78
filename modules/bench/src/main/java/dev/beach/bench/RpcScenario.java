package dev.beach.bench;

import dev.beach.ActorHandle;
import dev.beach.BeachNode;
import dev.beach.NodeOptions;
import dev.beach.spi.ClusterSupport;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;

import java.util.List;
import java.util.function.Supplier;

/**
 * Cross-node request/reply through Beach's {@link ActorHandle} and through the raw clustered event bus, in
 * the same run, same payload, same two JVMs: one request at a time (latency, rate) and 256 in flight.
 */
public final class RpcScenario implements Scenario {

  private static final String CATEGORY = "echo";

  @Override
  public String name() {
    return "rpc";
  }

  @Override
  public String description() {
    return "cross-node request/reply, Beach handle vs raw event bus vs bare TCP, 1 and 256 in flight"
      + " [--seconds 5 --rounds 2 --warmup 3 --inflight 256 --trace]; --trace samples every request on both"
      + " nodes (OpenTelemetry SDK, batch processor, spans counted and dropped); both nodes take BEACH_CLUSTER_SECRET and"
      + " BEACH_BENCH_TLS (a `beach certs --node bench` folder) when set";
  }

  @Override
  public JsonObject run(Options options) throws Exception {
    double seconds = options.seconds("seconds", 5);
    int rounds = (int) options.number("rounds", 2);
    double warmup = options.seconds("warmup", 3);
    int inFlight = (int) options.number("inflight", 256);
    boolean trace = options.flag("trace");
    options.done();
    if (trace) {
      BenchTracing.install();
    }
    int p1 = ClusterSupport.freePort();
    int p2 = ClusterSupport.freePort();
    List<String> seeds = List.of("127.0.0.1:" + p1, "127.0.0.1:" + p2);
    BeachNode node = null;
    try (Peer.Running peer = Peer.start(p2, seeds, trace, CATEGORY + ":Echo:1")) {
      try {
        node = Bench.await(BeachNode.clustered(new NodeOptions().setTracingEnabled(trace)
          .setCluster(Peer.loopback(p1, seeds))));
        peer.awaitReady();
        Bench.awaitActors(node, CATEGORY, 1);
        System.out.println("peer " + peer.nodeId() + " ready; echo actors: " + node.beach().directory(BenchActors.REALM, CATEGORY));
        return measure(node, peer, seconds, rounds, warmup, inFlight).put("tracing", trace)
          .put("spans_exported_here", BenchTracing.EXPORTED.sum());
      } finally {
        // This node leaves first, so the peer's exit is not a member lost mid-way.
        if (node != null) {
          Bench.await(node.close());
        }
      }
    }
  }

  private static JsonObject measure(BeachNode node, Peer.Running peer, double seconds, int rounds, double warmup,
                                    int inFlight) throws Exception {
    Vertx vertx = node.vertx();
    ActorHandle handle = node.beach().handle(BenchActors.REALM, CATEGORY).withRetries(0);
    JsonObject payload = new JsonObject().put("n", 42).put("text", "hello beach");
    Supplier<Future<Object>> raw = () -> vertx.eventBus().request(Peer.RAW_ADDRESS, payload).map(m -> m.body());
    Supplier<Future<Object>> beach = () -> handle.request("echo", payload);
    TcpEcho tcp = new TcpEcho(vertx, peer.tcpEchoPort(), payload.toBuffer().length());

    System.out.println("warming up");
    sync(vertx.getOrCreateContext(), raw, warmup);
    sync(vertx.getOrCreateContext(), beach, warmup);
    sync(tcp.context, tcp, warmup);
    pipelined(vertx, raw, inFlight, warmup);
    pipelined(vertx, beach, inFlight, warmup);

    // Alternate the paths and keep each one's better round, so none gains from running later.
    double[] rawSync = {0, 0};
    double[] beachSync = {0, 0};
    double[] tcpSync = {0, 0};
    double rawPipe = 0;
    double beachPipe = 0;
    for (int round = 1; round <= rounds; round++) {
      double[] rs = sync(vertx.getOrCreateContext(), raw, seconds);
      double[] bs = sync(vertx.getOrCreateContext(), beach, seconds);
      double[] ts = sync(tcp.context, tcp, seconds);
      double rp = pipelined(vertx, raw, inFlight, seconds);
      double bp = pipelined(vertx, beach, inFlight, seconds);
      System.out.printf("round %d: sync raw %.0f/s (p50 %.1f us), beach %.0f/s (p50 %.1f us), bare tcp %.0f/s (p50 %.1f us);"
          + " %d in flight raw %.0f/s, beach %.0f/s%n",
        round, rs[0], rs[1], bs[0], bs[1], ts[0], ts[1], inFlight, rp, bp);
      best(tcpSync, ts);
      best(rawSync, rs);
      best(beachSync, bs);
      rawPipe = Math.max(rawPipe, rp);
      beachPipe = Math.max(beachPipe, bp);
    }
    return new JsonObject()
      .put("beach_sync_per_s", Math.round(beachSync[0]))
      .put("raw_sync_per_s", Math.round(rawSync[0]))
      .put("beach_p50_us", beachSync[1])
      .put("raw_p50_us", rawSync[1])
      .put("beach_pipelined_per_s", Math.round(beachPipe))
      .put("raw_pipelined_per_s", Math.round(rawPipe))
      .put("sync_ratio", Bench.round2(beachSync[0] / rawSync[0]))
      .put("tcp_sync_per_s", Math.round(tcpSync[0]))
      .put("tcp_p50_us", tcpSync[1])
      .put("seconds_per_measure", seconds)
      .put("rounds", rounds)
      .put("in_flight", inFlight)
      .put("cluster_secret", Peer.secret() != null)
      .put("tls", Peer.tlsDir() != null);
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
      socket = Bench.await(connected.future());
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

  /** One request at a time from {@code context} for {@code seconds}: {rate per second, p50 microseconds}. */
  static double[] sync(Context context, Supplier<Future<Object>> call, double seconds) throws Exception {
    Samples latencies = new Samples();
    long end = System.nanoTime() + (long) (seconds * 1e9);
    Promise<Void> done = Promise.promise();
    long t0 = System.nanoTime();
    context.runOnContext(v -> next(call, latencies, end, done));
    Bench.await(done.future());
    double elapsed = (System.nanoTime() - t0) / 1e9;
    return new double[]{latencies.size() / elapsed, Samples.micros(latencies.percentile(0.5))};
  }

  private static void next(Supplier<Future<Object>> call, Samples latencies, long end, Promise<Void> done) {
    long start = System.nanoTime();
    call.get().onComplete(ar -> {
      long now = System.nanoTime();
      if (ar.failed()) {
        done.tryFail(ar.cause());
        return;
      }
      latencies.add(now - start);
      if (now < end) {
        next(call, latencies, end, done);
      } else {
        done.tryComplete();
      }
    });
  }

  /** {@code inFlight} requests outstanding at all times for {@code seconds}: completed per second. */
  static double pipelined(Vertx vertx, Supplier<Future<Object>> call, int inFlight, double seconds) throws Exception {
    long[] completed = {0};
    int[] outstanding = {0};
    long end = System.nanoTime() + (long) (seconds * 1e9);
    Promise<Void> done = Promise.promise();
    long t0 = System.nanoTime();
    vertx.runOnContext(v -> {
      for (int i = 0; i < inFlight; i++) {
        fire(call, completed, outstanding, end, done);
      }
    });
    Bench.await(done.future());
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
}
