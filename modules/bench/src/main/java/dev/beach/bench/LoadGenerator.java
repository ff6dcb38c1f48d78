package dev.beach.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP load of the gateway scenario, in a JVM of its own so that it does not share the servers' heap, JIT and
 * GC. Keeps {@code connections} keep-alive requests in flight (a closed loop: each answer starts the next request),
 * POSTing the same small JSON body to each target in turn: every target for {@code warmup} seconds, then
 * {@code rounds} rounds of {@code seconds} per target, alternated so that a load swing on a shared machine hits all
 * alike. Ends with {@code RESULT {target: {requests, failed, rps, p50_ms, p90_ms, p99_ms, p999_ms, max_ms,
 * client_cpu_us}}}: percentiles over every measured request of the target, and this JVM's CPU time per request.
 * <p>
 * Arguments: {@code --connections 64 --rounds 5 --seconds 2 --warmup 5}. Prints {@code READY}, then reads the
 * targets as one line on its standard input, {@code name=url,name=url,...}.
 */
public final class LoadGenerator {

  static final String RESULT = "RESULT ";
  /** Printed as a measured phase starts and ends, {@code PHASE <target>}, so the servers can account their CPU to it. */
  static final String PHASE = "PHASE ";
  static final String PHASE_END = "PHASE-END ";
  private static final Buffer BODY = new JsonObject().put("user", "u-1").put("n", 42).put("tags", "a,b,c").toBuffer();
  /** A request without an answer by then counts as failed (and is reported), so a phase always ends. */
  private static final long REQUEST_TIMEOUT_MS = 10_000;

  private final Vertx vertx;
  private final int connections;

  private LoadGenerator(Vertx vertx, int connections) {
    this.vertx = vertx;
    this.connections = connections;
  }

  public static void main(String[] args) {
    try {
      Bench.quietLogging();
      Options options = new Options(Arrays.asList(args));
      int connections = (int) options.number("connections", 64);
      int rounds = (int) options.number("rounds", 5);
      double seconds = options.seconds("seconds", 2);
      double warmup = options.seconds("warmup", 5);
      options.done();
      LoadGenerator load = new LoadGenerator(Vertx.vertx(), connections);
      // Started while the servers start; they send the targets once they listen.
      System.out.println("READY");
      System.out.flush();
      String targetList = ChildJvm.readLine();
      if (targetList != null) {
        Map<String, URI> targets = new LinkedHashMap<>();
        for (String t : targetList.split(",")) {
          String[] nameUrl = t.split("=", 2);
          targets.put(nameUrl[0], URI.create(nameUrl[1]));
        }
        System.out.println(RESULT + load.run(targets, rounds, seconds, warmup).encode());
      }
    } catch (Throwable t) {
      ChildJvm.fail(t);
    }
    ChildJvm.haltWhenInputCloses();
  }

  private JsonObject run(Map<String, URI> targets, int rounds, double seconds, double warmup) throws Exception {
    Map<String, Target> all = new LinkedHashMap<>();
    targets.forEach((name, uri) -> all.put(name, new Target(name, uri, vertx.createHttpClient(
      new HttpClientOptions().setKeepAlive(true), new PoolOptions().setHttp1MaxSize(connections)))));
    for (Target t : all.values()) {
      phase(t, warmup);
    }
    Map<String, Totals> totals = new LinkedHashMap<>();
    for (int round = 1; round <= rounds; round++) {
      StringBuilder line = new StringBuilder("round " + round + ":");
      for (Target t : all.values()) {
        System.out.println(PHASE + t.name);
        long cpu0 = ownCpuNanos();
        Totals phase = phase(t, seconds);
        phase.cpuNanos = ownCpuNanos() - cpu0;
        System.out.println(PHASE_END + t.name);
        totals.computeIfAbsent(t.name, n -> new Totals()).add(phase);
        line.append(String.format(" %s %.0f/s p50 %.2f ms;", t.name, phase.ok / phase.seconds,
          Samples.millis(phase.samples.percentile(0.5))));
      }
      System.out.println(line);
    }
    JsonObject result = new JsonObject();
    totals.forEach((name, t) -> result.put(name, t.toJson()));
    return result;
  }

  private static long ownCpuNanos() {
    return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
  }

  /** One target for {@code seconds}: {@code connections} requests in flight, every latency kept. */
  private Totals phase(Target target, double seconds) throws Exception {
    long end = System.nanoTime() + (long) (seconds * 1e9);
    Promise<Void> done = Promise.promise();
    AtomicInteger running = new AtomicInteger(connections);
    List<Loop> loops = new ArrayList<>();
    long started = System.nanoTime();
    for (int i = 0; i < connections; i++) {
      Loop loop = new Loop(target, end, () -> {
        if (running.decrementAndGet() == 0) {
          done.complete();
        }
      });
      loops.add(loop);
      vertx.runOnContext(v -> loop.next());
    }
    Bench.await(done.future());
    Totals totals = new Totals();
    totals.seconds = (System.nanoTime() - started) / 1e9;
    for (Loop loop : loops) {
      totals.ok += loop.samples.size();
      totals.failed += loop.failed;
      totals.samples.addAll(loop.samples);
    }
    if (target.firstFailure != null) {
      System.out.println(target.name + ": first failure: " + target.firstFailure);
    }
    return totals;
  }

  private static final class Target {
    final String name;
    final URI uri;
    final HttpClientAgent client;
    volatile String firstFailure;

    Target(String name, URI uri, HttpClientAgent client) {
      this.name = name;
      this.uri = uri;
      this.client = client;
    }

    /** One POST; completes with null on a 200, else with what went wrong. */
    Future<String> post() {
      return client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost(uri.getHost()).setPort(uri.getPort())
          .setURI(uri.getRawPath()).setConnectTimeout(REQUEST_TIMEOUT_MS).setIdleTimeout(REQUEST_TIMEOUT_MS))
        // The body is read in the callback that gets the response: attached a step later, Vert.x may have
        // delivered the body already and the read never completes.
        .compose(req -> req.putHeader("Content-Type", "application/json").send(BODY)
          .compose(resp -> resp.body().map(b -> resp.statusCode() == 200 ? null : resp.statusCode() + " " + b)));
    }
  }

  /** One request after another until the phase ends; its own samples, so no two threads write one array. */
  private static final class Loop {
    final Target target;
    final long end;
    final Runnable finished;
    final Samples samples = new Samples();
    long failed;

    Loop(Target target, long end, Runnable finished) {
      this.target = target;
      this.end = end;
      this.finished = finished;
    }

    void next() {
      if (System.nanoTime() >= end) {
        finished.run();
        return;
      }
      long t0 = System.nanoTime();
      target.post().onComplete(ar -> {
        String failure = ar.failed() ? String.valueOf(ar.cause()) : ar.result();
        if (failure == null) {
          samples.add(System.nanoTime() - t0);
        } else {
          failed++;
          if (target.firstFailure == null) {
            target.firstFailure = failure;
          }
        }
        // A failure may complete synchronously: go round through the event loop, never by recursion.
        Vertx.currentContext().runOnContext(v -> next());
      });
    }
  }

  /** A target's requests over several phases. */
  private static final class Totals {
    final Samples samples = new Samples();
    long ok;
    long failed;
    double seconds;
    long cpuNanos;

    void add(Totals phase) {
      samples.addAll(phase.samples);
      ok += phase.ok;
      failed += phase.failed;
      seconds += phase.seconds;
      cpuNanos += phase.cpuNanos;
    }

    JsonObject toJson() {
      return new JsonObject().put("requests", ok).put("failed", failed).put("rps", Math.round(ok / seconds))
        .put("p50_ms", Samples.millis(samples.percentile(0.5)))
        .put("p90_ms", Samples.millis(samples.percentile(0.9)))
        .put("p99_ms", Samples.millis(samples.percentile(0.99)))
        .put("p999_ms", Samples.millis(samples.percentile(0.999)))
        .put("max_ms", Samples.millis(samples.percentile(1.0)))
        .put("client_cpu_us", Math.round(cpuNanos / 100.0 / Math.max(1, ok)) / 10.0);
    }
  }
}
