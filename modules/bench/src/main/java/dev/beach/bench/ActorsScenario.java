package dev.beach.bench;

import dev.beach.ActorSpec;
import dev.beach.BeachNode;
import dev.beach.ClusterOptions;
import dev.beach.NodeOptions;
import dev.beach.Placement;
import dev.beach.spi.ClusterSupport;
import io.vertx.core.json.JsonObject;

/** Deploys 100,000 idle actors on one clustered node: deploys per second and heap in use afterwards. */
public final class ActorsScenario implements Scenario {

  @Override
  public String name() {
    return "actors";
  }

  @Override
  public String description() {
    return "deploy N idle actors on one node: deploys/s and heap in use [--actors 100000 --batch 10000 --warmup 2000]";
  }

  @Override
  public JsonObject run(Options options) throws Exception {
    int actors = (int) options.number("actors", 100_000);
    int batch = (int) options.number("batch", 10_000);
    int warmup = (int) options.number("warmup", 2000);
    options.done();
    BeachNode node = Bench.await(BeachNode.clustered(new NodeOptions().setCluster(new ClusterOptions()
      .setHost("127.0.0.1").setPort(ClusterSupport.freePort()))));
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
      return new JsonObject()
        .put("actors", deployed)
        .put("deploys_per_s", Math.round(deployed / seconds))
        .put("heap_used_mb", Math.round(heapAfter / 1048576.0))
        .put("heap_per_actor_bytes", Math.round((double) (heapAfter - heapBefore) / deployed))
        .put("seconds", Bench.round2(seconds));
    } finally {
      Bench.await(node.close());
    }
  }

  private static ActorSpec spec(String category, int n) {
    return ActorSpec.of(BenchActors.REALM, BenchActors.Idle.class, category).setInstances(n).setPlacement(Placement.local());
  }
}
