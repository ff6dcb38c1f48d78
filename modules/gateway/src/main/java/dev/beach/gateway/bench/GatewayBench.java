package dev.beach.gateway.bench;

import dev.beach.Actor;
import dev.beach.ActorSpec;
import dev.beach.BeachNode;
import dev.beach.NodeOptions;
import dev.beach.gateway.Gateway;
import dev.beach.gateway.GatewayOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code beach bench gateway}: HTTP dispatch through the gateway to an echo actor, against a bare vertx-web
 * route on the same Vert.x that parses the same JSON body and answers it directly. Both are driven in the
 * same run by the same client (keep-alive connections, one request in flight per connection), so the ratio
 * shows what the gateway and the actor hop cost over plain vertx-web. Target: ratio ≥ 0.6.
 * <p>
 * Options: {@code --connections 64 --rounds 5 --seconds 2 --warmup 3 --actors 2}: each round drives each target
 * for {@code seconds}.
 */
public final class GatewayBench {

  private static final Buffer BODY = new JsonObject().put("user", "u-1").put("n", 42).put("tags", "a,b,c").toBuffer();
  private static final int MAX_SAMPLES = 4_000_000;
  /** A request without an answer by then counts as failed (and is reported), so a phase always ends. */
  private static final long REQUEST_TIMEOUT_MS = 10_000;

  private GatewayBench() {
  }

  /** Echoes the request body. */
  public static final class Echo extends Actor {
    @Override
    public Future<?> start() {
      on("echo", req -> req.reply(req.body()));
      return super.start();
    }
  }

  public static void main(String[] args) throws Exception {
    System.out.println(run(Arrays.asList(args)).encodePrettily());
  }

  /** Runs both phases and returns {@code {connections, seconds, gateway: {...}, bare: {...}, ratio}}. */
  public static JsonObject run(List<String> args) throws Exception {
    int connections = (int) option(args, "connections", 64);
    int seconds = (int) option(args, "seconds", 2);
    int rounds = (int) option(args, "rounds", 5);
    int warmup = (int) option(args, "warmup", 3);
    int actors = (int) option(args, "actors", 2);
    Vertx vertx = Vertx.vertx();
    try {
      BeachNode node = await(BeachNode.start(vertx, new NodeOptions()));
      await(node.beach().deploy(ActorSpec.of("bench", Echo.class, "echo").setInstances(actors)));
      Gateway gateway = await(Gateway.start(node, new GatewayOptions().setPort(0)));
      HttpServer bare = await(bareServer(vertx, node));
      try {
        String gatewayPath = "/v1/realms/bench/categories/echo/echo";
        System.out.printf("gateway bench: %d connections, %d rounds of %d s per target after %d s warm-up, %d echo actors%n",
          connections, rounds, seconds, warmup, actors);
        drive(vertx, gateway.port(), gatewayPath, connections, warmup);
        drive(vertx, bare.actualPort(), "/bare", connections, warmup);
        // Rounds alternate the targets, so a load swing on a shared machine hits both alike.
        JsonObject viaGateway = new JsonObject();
        JsonObject direct = new JsonObject();
        JsonObject viaHandle = new JsonObject();
        for (int round = 0; round < rounds; round++) {
          add(viaGateway, drive(vertx, gateway.port(), gatewayPath, connections, seconds));
          add(direct, drive(vertx, bare.actualPort(), "/bare", connections, seconds));
          add(viaHandle, drive(vertx, bare.actualPort(), "/handle", connections, seconds));
        }
        double total = rounds * (double) seconds;
        for (JsonObject f : List.of(viaGateway, direct, viaHandle)) {
          f.put("rps", Math.round(f.getLong("requests") / total));
          f.put("p50ms", round2(f.getDouble("p50ms") / rounds)).put("p99ms", round2(f.getDouble("p99ms") / rounds));
        }
        System.out.println("  gateway → actor:          " + viaGateway.encode());
        System.out.println("  bare vertx-web:           " + direct.encode());
        System.out.println("  vertx-web + handle.request (no gateway): " + viaHandle.encode());
        double ratio = viaGateway.getDouble("rps") / Math.max(1, direct.getDouble("rps"));
        System.out.printf("  ratio %.2f (target ≥ 0.60)%n", ratio);
        return new JsonObject().put("connections", connections).put("rounds", rounds).put("seconds", seconds)
          .put("actors", actors).put("gateway", viaGateway).put("bare", direct).put("handle", viaHandle)
          .put("ratio", Math.round(ratio * 1000) / 1000.0);
      } finally {
        await(bare.close());
        await(gateway.close());
        await(node.close());
      }
    } finally {
      await(vertx.close());
    }
  }

  /** The comparison: vertx-web with the same body handling, answering without any actor. */
  private static Future<HttpServer> bareServer(Vertx vertx, BeachNode node) {
    Router router = Router.router(vertx);
    router.post("/bare").handler(BodyHandler.create(false).setBodyLimit(GatewayOptions.DEFAULT_MAX_BODY_BYTES))
      .handler(ctx -> ctx.response().putHeader("Content-Type", "application/json")
        .end(ctx.body().asJsonObject().toBuffer()));
    // Splits the gap: vertx-web plus the actor hop, without the gateway's checks, auth and error mapping.
    router.post("/handle").handler(BodyHandler.create(false).setBodyLimit(GatewayOptions.DEFAULT_MAX_BODY_BYTES))
      .handler(ctx -> node.beach().handle("bench", "echo").request("echo", ctx.body().asJsonObject())
        .onComplete(ar -> ctx.response().putHeader("Content-Type", "application/json")
          .setStatusCode(ar.succeeded() ? 200 : 500).end(ar.succeeded() ? ((JsonObject) ar.result()).toBuffer() : Buffer.buffer())));
    return vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1");
  }

  /** Keeps {@code connections} requests in flight for {@code seconds}; figures of the completed ones. */
  private static JsonObject drive(Vertx vertx, int port, String path, int connections, int seconds) throws Exception {
    // A client per phase: connections of one phase never wait in the pool of another.
    HttpClientAgent client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
      new PoolOptions().setHttp1MaxSize(connections));
    try {
      return drive(vertx, client, port, path, connections, seconds);
    } finally {
      await(client.close());
    }
  }

  private static JsonObject drive(Vertx vertx, HttpClientAgent client, int port, String path, int connections, int seconds)
    throws Exception {
    Load load = new Load(vertx, client, port, path);
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    AtomicLong ok = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    long[] samples = new long[MAX_SAMPLES];
    AtomicInteger next = new AtomicInteger();
    Promise<Void> done = Promise.promise();
    AtomicInteger running = new AtomicInteger(connections);
    long started = System.nanoTime();
    for (int i = 0; i < connections; i++) {
      load.loop(end, ok, failed, samples, next, () -> {
        if (running.decrementAndGet() == 0) {
          done.complete();
        }
      });
    }
    long progress = vertx.setPeriodic(2000, t -> {
      if (System.nanoTime() > end + 2_000_000_000L) {
        System.out.println("    " + path + ": " + running.get() + " requests still open " + (System.nanoTime() - end) / 1_000_000 + " ms after the phase");
      }
    });
    try {
      await(done.future());
    } finally {
      vertx.cancelTimer(progress);
    }
    double elapsed = (System.nanoTime() - started) / 1e9;
    int n = Math.min(next.get(), MAX_SAMPLES);
    long[] sorted = Arrays.copyOf(samples, n);
    Arrays.sort(sorted);
    if (load.firstFailure != null) {
      System.out.println("  first failure: " + load.firstFailure);
    }
    return new JsonObject()
      .put("requests", ok.get())
      .put("failed", failed.get())
      .put("rps", Math.round(ok.get() / elapsed))
      .put("p50ms", n == 0 ? 0 : sorted[n / 2] / 1e6)
      .put("p99ms", n == 0 ? 0 : sorted[Math.min(n - 1, (int) (n * 0.99))] / 1e6);
  }

  /** One target; each in-flight request starts the next when it completes. */
  private static final class Load {
    final Vertx vertx;
    final HttpClientAgent client;
    final int port;
    final String path;
    volatile String firstFailure;

    Load(Vertx vertx, HttpClientAgent client, int port, String path) {
      this.vertx = vertx;
      this.client = client;
      this.port = port;
      this.path = path;
    }

    void loop(long end, AtomicLong ok, AtomicLong failed, long[] samples, AtomicInteger next, Runnable finished) {
      if (System.nanoTime() >= end) {
        finished.run();
        return;
      }
      long t0 = System.nanoTime();
      client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port).setURI(path)
          .setConnectTimeout(REQUEST_TIMEOUT_MS).setIdleTimeout(REQUEST_TIMEOUT_MS))
        // The body is read in the callback that gets the response: attached a step later, Vert.x may have
        // delivered the body already and the read never completes.
        .compose(req -> req.putHeader("Content-Type", "application/json").send(BODY)
          .compose(resp -> resp.body().map(b -> resp.statusCode() == 200 ? null : resp.statusCode() + " " + b)))
        .onComplete(ar -> {
          String failure = ar.failed() ? String.valueOf(ar.cause()) : ar.result();
          if (failure == null) {
            ok.incrementAndGet();
            int i = next.getAndIncrement();
            if (i < samples.length) {
              samples[i] = System.nanoTime() - t0;
            }
          } else {
            failed.incrementAndGet();
            if (firstFailure == null) {
              firstFailure = failure;
            }
          }
          // A failure may complete synchronously: go round through the event loop, never by recursion.
          vertx.runOnContext(v -> loop(end, ok, failed, samples, next, finished));
        });
    }
  }

  private static void add(JsonObject sum, JsonObject phase) {
    for (String k : phase.fieldNames()) {
      Object v = phase.getValue(k);
      if (v instanceof Long || v instanceof Integer) {
        sum.put(k, sum.getLong(k, 0L) + ((Number) v).longValue());
      } else {
        sum.put(k, sum.getDouble(k, 0d) + ((Number) v).doubleValue());
      }
    }
  }

  private static double round2(double d) {
    return Math.round(d * 100) / 100.0;
  }

  static long option(List<String> args, String name, long def) {
    int i = args.indexOf("--" + name);
    if (i < 0 || i + 1 >= args.size()) {
      return def;
    }
    try {
      return Long.parseLong(args.get(i + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " needs a number, got '" + args.get(i + 1) + "'");
    }
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
