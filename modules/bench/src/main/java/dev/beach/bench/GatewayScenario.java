package dev.beach.bench;

import dev.beach.ActorSpec;
import dev.beach.BeachNode;
import dev.beach.ClusterOptions;
import dev.beach.NodeOptions;
import dev.beach.Placement;
import dev.beach.gateway.Gateway;
import dev.beach.gateway.GatewayMetrics;
import dev.beach.gateway.GatewayOptions;
import dev.beach.spi.ClusterSupport;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * HTTP dispatch through the gateway as {@code beach node} runs it (clustered Vert.x with the gateway's Micrometer
 * metrics, {@link Gateway#start} with default options), against a bare vertx-web route answering the same JSON.
 * The load comes from a JVM of its own ({@link LoadGenerator}); percentiles are over every request of a target.
 * <p>
 * Targets, alternated round by round: {@code gateway} (echo actors on the gateway's node, one per event loop by
 * default; with fewer, whether one shares the gateway's loop decides the figure), {@code gateway_remote}
 * (the echo actor on a second node JVM, reached over node links), {@code handle} (vertx-web calling
 * {@code handle.request} on the node's Vert.x, without the gateway: splits the gap), {@code bare} (vertx-web on a
 * plain Vert.x in the same JVM, answering directly). Goal: gateway ≥ 0.8 × bare requests/s.
 */
public final class GatewayScenario implements Scenario {

  static final double TARGET_RATIO = 0.8;
  private static final String NEAR = "near";
  private static final String FAR = "far";

  @Override
  public String name() {
    return "gateway";
  }

  @Override
  public String description() {
    return "HTTP dispatch via the gateway as beach node runs it vs a bare vertx-web route, load from its own JVM"
      + " (goal ratio >= " + TARGET_RATIO + ") [--connections 64 --rounds 5 --seconds 2 --warmup 5 --actors <event loops> --no-metrics --only gateway,bare]";
  }

  @Override
  public JsonObject run(Options options) throws Exception {
    int connections = (int) options.number("connections", 64);
    int rounds = (int) options.number("rounds", 5);
    double seconds = options.seconds("seconds", 2);
    double warmup = options.seconds("warmup", 5);
    // One echo actor per event loop of the node (Vert.x's default loop count), as a category that serves a gateway
    // would be deployed: then one shares the gateway's loop and answers there, without a thread hop each way.
    int actors = (int) options.number("actors", VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE);
    boolean metrics = !options.flag("no-metrics");
    // For profiling one path: drive only these targets (the ratios need gateway, gateway_remote and bare).
    List<String> only = List.of(options.text("only", "gateway,gateway_remote,handle,bare").split(","));
    options.done();
    int p1 = ClusterSupport.freePort();
    int p2 = ClusterSupport.freePort();
    List<String> seeds = List.of("127.0.0.1:" + p1, "127.0.0.1:" + p2);
    Vertx plain = Vertx.vertx();
    BeachNode node = null;
    // Both child JVMs start while this one starts its node: the load generator waits for its targets.
    try (Peer.Running peer = Peer.start(p2, seeds, FAR + ":Echo:1");
         ChildJvm load = ChildJvm.start("load", LoadGenerator.class, "1g", List.of("--connections",
           Integer.toString(connections), "--rounds", Integer.toString(rounds), "--seconds", Double.toString(seconds),
           "--warmup", Double.toString(warmup)))) {
      try {
        node = startNode(Peer.loopback(p1, seeds), metrics);
        Gateway gateway = Bench.await(Gateway.start(node, new GatewayOptions().setPort(0)));
        Bench.await(node.beach().deploy(ActorSpec.of(BenchActors.REALM, BenchActors.Echo.class, NEAR)
          .setInstances(actors).setPlacement(Placement.local())));
        HttpServer handle = Bench.await(handleServer(node));
        HttpServer bare = Bench.await(bareServer(plain));
        peer.awaitReady();
        Bench.awaitActors(node, FAR, 1);
        load.awaitLine("READY", 120);
        String api = "http://127.0.0.1:" + gateway.port() + "/v1/realms/" + BenchActors.REALM + "/categories/";
        System.out.printf("gateway bench: %d connections, %d rounds of %s s per target after %s s warm-up, %d echo actors"
          + " on the gateway's node, 1 on node %s, metrics %s%n", connections, rounds, seconds, warmup, actors,
          peer.nodeId(), metrics ? "on" : "OFF");
        load.send(List.of(
          "gateway=" + api + NEAR + "/echo",
          "gateway_remote=" + api + FAR + "/echo",
          "handle=http://127.0.0.1:" + handle.actualPort() + "/handle",
          "bare=http://127.0.0.1:" + bare.actualPort() + "/bare").stream()
          .filter(t -> only.contains(t.substring(0, t.indexOf('='))))
          .collect(java.util.stream.Collectors.joining(",")));
        JsonObject figures = awaitFigures(load, peer.jvm(), (long) (4 * (warmup + rounds * seconds)) + 120);
        if (!figures.containsKey("bare") || !figures.containsKey("gateway") || !figures.containsKey("gateway_remote")) {
          return new JsonObject().put("connections", connections).put("metrics", metrics).mergeIn(figures);
        }
        double bareRps = Math.max(1, figures.getJsonObject("bare").getDouble("rps"));
        double ratio = figures.getJsonObject("gateway").getDouble("rps") / bareRps;
        double ratioRemote = figures.getJsonObject("gateway_remote").getDouble("rps") / bareRps;
        System.out.printf("ratio gateway/bare %.2f (goal >= %.1f), with the actor on another node %.2f%n",
          ratio, TARGET_RATIO, ratioRemote);
        return new JsonObject().put("connections", connections).put("rounds", rounds).put("seconds", seconds)
          .put("actors", actors).put("metrics", metrics).mergeIn(figures)
          .put("ratio", Math.round(ratio * 1000) / 1000.0).put("ratio_remote", Math.round(ratioRemote * 1000) / 1000.0)
          .put("target_ratio", TARGET_RATIO)
          .put("gateway_requests_metered", meteredRequests(gateway.port()));
      } finally {
        if (node != null) {
          Bench.await(node.close());
          Bench.await(node.vertx().close());
        }
      }
    } finally {
      Bench.await(plain.close());
    }
  }

  /**
   * The load generator's figures, each target's with {@code server_cpu_us}: the CPU time per request that this JVM
   * (the gateway's node, the routes) and the peer's used while that target was driven. A figure of cost that holds
   * on a shared machine, where requests per second swing with what else runs.
   */
  private static JsonObject awaitFigures(ChildJvm load, ChildJvm peer, long timeoutSeconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    Map<String, Long> serverCpu = new HashMap<>();
    long phaseStart = 0;
    while (true) {
      String line = load.nextLine(deadline, LoadGenerator.RESULT);
      if (line.startsWith(LoadGenerator.PHASE)) {
        phaseStart = serverCpuNanos(peer);
      } else if (line.startsWith(LoadGenerator.PHASE_END)) {
        serverCpu.merge(line.substring(LoadGenerator.PHASE_END.length()), serverCpuNanos(peer) - phaseStart, Long::sum);
      } else if (line.startsWith(LoadGenerator.RESULT)) {
        JsonObject figures = new JsonObject(line.substring(LoadGenerator.RESULT.length()));
        for (String target : figures.fieldNames()) {
          JsonObject f = figures.getJsonObject(target);
          f.put("server_cpu_us", Math.round(serverCpu.getOrDefault(target, 0L) / 100.0 / Math.max(1, f.getLong("requests"))) / 10.0);
        }
        return figures;
      } else {
        load.echo(line);
      }
    }
  }

  private static long serverCpuNanos(ChildJvm peer) {
    return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(0L) + Math.max(0, peer.cpuNanos());
  }

  /**
   * The node the way {@code beach node} builds it when its gateway is on (see the launcher's NodeApplication): a
   * clustered Vert.x with Beach's event-bus options and cluster manager and, unless told otherwise, the gateway's
   * metrics, which Vert.x only collects when they are on at creation. The caller closes the node, then its Vert.x.
   */
  private static BeachNode startNode(ClusterOptions cluster, boolean metrics) throws Exception {
    VertxOptions options = new VertxOptions().setEventBusOptions(ClusterSupport.vertxOptions(cluster).getEventBusOptions());
    if (metrics) {
      options.setMetricsOptions(GatewayMetrics.options());
    }
    VertxBuilder builder = Vertx.builder().with(options).withClusterManager(ClusterSupport.clusterManager(cluster));
    if (metrics) {
      builder.withMetrics(GatewayMetrics.factory());
    }
    Vertx vertx = Bench.await(builder.buildClustered());
    try {
      return Bench.await(BeachNode.start(vertx, new NodeOptions().setCluster(cluster)));
    } catch (Exception e) {
      vertx.close();
      throw e;
    }
  }

  /** The comparison: vertx-web with the same body handling, answering without any actor. */
  private static Future<HttpServer> bareServer(Vertx vertx) {
    Router router = Router.router(vertx);
    router.post("/bare").handler(BodyHandler.create(false).setBodyLimit(GatewayOptions.DEFAULT_MAX_BODY_BYTES))
      .handler(ctx -> ctx.response().putHeader("Content-Type", "application/json")
        .end(ctx.body().asJsonObject().toBuffer()));
    return vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1");
  }

  /** Splits the gap: vertx-web plus the actor hop, without the gateway's checks, auth and error mapping. */
  private static Future<HttpServer> handleServer(BeachNode node) {
    Router router = Router.router(node.vertx());
    router.post("/handle").handler(BodyHandler.create(false).setBodyLimit(GatewayOptions.DEFAULT_MAX_BODY_BYTES))
      .handler(ctx -> node.beach().handle(BenchActors.REALM, NEAR).request("echo", ctx.body().asJsonObject())
        .onComplete(ar -> ctx.response().putHeader("Content-Type", "application/json")
          .setStatusCode(ar.succeeded() ? 200 : 500)
          .end(ar.succeeded() ? ((JsonObject) ar.result()).toBuffer() : Buffer.buffer(String.valueOf(ar.cause())))));
    return node.vertx().createHttpServer().requestHandler(router).listen(0, "127.0.0.1");
  }

  /** HTTP requests the gateway's Vert.x metered, from its own /metrics: 0 when metrics are off. */
  private static long meteredRequests(int port) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
      + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
    double total = 0;
    for (String line : r.body().split("\n")) {
      if (line.startsWith("vertx_http_server_requests_total{")) {
        total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return Math.round(total);
  }
}
