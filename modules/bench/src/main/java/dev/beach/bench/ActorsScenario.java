package dev.beach.bench;

import dev.beach.ActorSpec;
import dev.beach.BeachNode;
import dev.beach.ClusterOptions;
import dev.beach.NodeOptions;
import dev.beach.Placement;
import io.vertx.core.json.JsonObject;

import java.lang.management.ManagementFactory;
import java.util.List;

/** Deploys 100,000 idle actors on one clustered node: deploys per second and heap in use afterwards. */
public final class ActorsScenario implements Scenario {

  @Override
  public String name() {
    return "actors";
  }

  @Override
  public String description() {
    return "deploy N idle actors on one node: deploys/s and heap in use [--actors 100000 --batch 10000]";
  }

  @Override
  public JsonObject run(List<String> args) throws Exception {
    int actors = (int) Bench.option(args, "actors", 100_000);
    int batch = (int) Bench.option(args, "batch", 10_000);
    BeachNode node = RpcScenario.await(BeachNode.clustered(new NodeOptions().setCluster(new ClusterOptions()
      .setHost("127.0.0.1").setPort(RpcScenario.freePort()))));
    try {
      long heapBefore = usedHeapAfterGc();
      // A warm-up batch so class loading and JIT are not billed to the measured deploys.
      RpcScenario.await(node.beach().deploy(spec("warmup", 2000)));
      RpcScenario.await(node.beach().stop("bench", "warmup"));
      long t0 = System.nanoTime();
      int deployed = 0;
      while (deployed < actors) {
        int n = Math.min(batch, actors - deployed);
        deployed += RpcScenario.await(node.beach().deploy(spec("idle", n))).size();
        System.out.printf("%d actors, %.0f deploys/s so far%n", deployed, deployed / ((System.nanoTime() - t0) / 1e9));
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      long heapAfter = usedHeapAfterGc();
      int listed = node.beach().directory("bench", "idle").size();
      if (listed != actors) {
        throw new IllegalStateException("directory lists " + listed + " actors, expected " + actors);
      }
      return new JsonObject()
        .put("actors", deployed)
        .put("deploys_per_s", Math.round(deployed / seconds))
        .put("heap_used_mb", Math.round(heapAfter / 1048576.0))
        .put("heap_per_actor_bytes", Math.round((double) (heapAfter - heapBefore) / deployed))
        .put("seconds", Math.round(seconds * 100) / 100.0);
    } finally {
      RpcScenario.await(node.close());
    }
  }

  private static ActorSpec spec(String category, int n) {
    return ActorSpec.of("bench", BenchActors.Idle.class, category).setInstances(n).setPlacement(Placement.local());
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
