package dev.beach.bench;

import dev.beach.Actor;
import dev.beach.ActorSpec;
import dev.beach.BeachNode;
import dev.beach.ClusterOptions;
import dev.beach.NodeOptions;
import dev.beach.Placement;
import dev.beach.spi.ClusterSupport;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Deploys 100,000 idle actors on one clustered node: deploys per second and heap in use afterwards; then fills the
 * log ring of {@code --logActors} more actors with full-length lines: what a ring costs at its bound.
 */
public final class ActorsScenario implements Scenario {

  @Override
  public String name() {
    return "actors";
  }

  @Override
  public String description() {
    return "deploy N idle actors on one node: deploys/s and heap in use, and the heap of a full log ring"
      + " [--actors 100000 --batch 10000 --warmup 2000 --logActors 100]";
  }

  @Override
  public JsonObject run(Options options) throws Exception {
    int actors = (int) options.number("actors", 100_000);
    int batch = (int) options.number("batch", 10_000);
    int warmup = (int) options.number("warmup", 2000);
    int logActors = (int) options.number("logActors", 100);
    options.done();
    // The rate bound off, so each ring fills at once; its size and line length stay the defaults.
    BeachNode node = Bench.await(BeachNode.clustered(new NodeOptions().setLogLinesPerSecond(1_000_000)
      .setCluster(new ClusterOptions().setHost("127.0.0.1").setPort(ClusterSupport.freePort()))));
    try {
      Thread.sleep(200);
      long heapBefore = Bench.liveHeapBytes();
      // A warm-up batch so class loading and JIT are not billed to the measured deploys.
      if (warmup > 0) {
        Bench.await(node.beach().deploy(spec("warmup", warmup)));
        Bench.await(node.beach().stop(BenchActors.REALM, "warmup"));
      }
      long t0 = System.nanoTime();
      int deployed = 0;
      while (deployed < actors) {
        int n = Math.min(batch, actors - deployed);
        deployed += Bench.await(node.beach().deploy(spec("idle", n))).size();
        System.out.printf("%d actors, %.0f deploys/s so far%n", deployed, deployed / ((System.nanoTime() - t0) / 1e9));
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      Thread.sleep(200);
      long heapAfter = Bench.liveHeapBytes();
      int listed = node.beach().directory(BenchActors.REALM, "idle").size();
      if (listed != actors) {
        throw new IllegalStateException("directory lists " + listed + " actors, expected " + actors);
      }
      JsonObject result = new JsonObject()
        .put("actors", deployed)
        .put("deploys_per_s", Math.round(deployed / seconds))
        .put("heap_used_mb", Math.round(heapAfter / 1048576.0))
        .put("heap_per_actor_bytes", Math.round((double) (heapAfter - heapBefore) / deployed))
        .put("seconds", Bench.round2(seconds));
      if (logActors > 0) {
        fullRings(node, logActors, result);
      }
      return result;
    } finally {
      Bench.await(node.close());
    }
  }

  /**
   * Heap per actor once its log ring is full of lines of the longest length: {@code node.logLines} lines of
   * {@code node.logLineBytes} each, the bound a chatty actor reaches (the node's {@code logBytes} budget aside).
   */
  private static void fullRings(BeachNode node, int n, JsonObject result) throws Exception {
    NodeOptions o = node.options();
    Bench.await(node.beach().deploy(ActorSpec.of(BenchActors.REALM, FullRing.class, "ring").setInstances(n)
      .setPlacement(Placement.local())));
    long before = Bench.liveHeapBytes();
    Bench.await(node.beach().handle(BenchActors.REALM, "ring").requestAll("fill",
      new JsonObject().put("lines", o.getLogLines()).put("bytes", o.getLogLineBytes())));
    long after = Bench.liveHeapBytes();
    result.put("log_lines", o.getLogLines()).put("log_line_bytes", o.getLogLineBytes())
      .put("log_ring_full_bytes_per_actor", Math.round((double) (after - before) / n));
  }

  /** Fills its log ring with lines of the given length (logged at INFO, which logback-bench.xml prints nowhere). */
  public static class FullRing extends Actor {
    @Override
    public Future<?> start() {
      on("fill", req -> {
        String line = "x".repeat(req.json().getInteger("bytes"));
        for (int i = req.json().getInteger("lines"); i > 0; i--) {
          log().info("{}", line);
        }
        req.reply(null);
      });
      return super.start();
    }
  }

  private static ActorSpec spec(String category, int n) {
    return ActorSpec.of(BenchActors.REALM, BenchActors.Idle.class, category).setInstances(n).setPlacement(Placement.local());
  }
}
