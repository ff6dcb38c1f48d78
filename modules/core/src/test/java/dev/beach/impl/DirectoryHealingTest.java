package dev.beach.impl;

import dev.beach.ActorSpec;
import dev.beach.BeachNode;
import dev.beach.ClusterOptions;
import dev.beach.NodeOptions;
import dev.beach.Placement;
import dev.beach.spi.ClusterSupport;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A directory that missed an event notices (the peer's stats show a newer sequence) and pulls the peer's list. */
class DirectoryHealingTest {

  @Test
  void aLostEventIsHealedWithinTheSyncTime() throws Exception {
    int p1 = ClusterSupport.freePort();
    int p2 = ClusterSupport.freePort();
    List<String> seeds = List.of("127.0.0.1:" + p1, "127.0.0.1:" + p2);
    NodeRuntime a = null;
    NodeRuntime b = null;
    try {
      a = (NodeRuntime) get(BeachNode.clustered(options(p1, seeds)));
      b = (NodeRuntime) get(BeachNode.clustered(options(p2, seeds)));
      String id = get(a.beach().deploy(ActorSpec.of("heal", TestEcho.class, "echo").setPlacement(Placement.local()))).get(0);
      assertNotNull(b.directory().get(id));

      // Make b forget the actor and the event that announced it, as if that event had been lost.
      long seq = b.directory().seq(a.id());
      b.directory().remove(id);
      b.directory().setSeq(a.id(), seq - 1);
      assertNull(b.directory().get(id));

      long t0 = System.currentTimeMillis();
      while (b.directory().get(id) == null && System.currentTimeMillis() - t0 < 10_000) {
        Thread.sleep(20);
      }
      long healedAfter = System.currentTimeMillis() - t0;
      assertNotNull(b.directory().get(id), "never healed");
      assertTrue(healedAfter < 5_000, "healed after " + healedAfter + " ms");
    } finally {
      if (b != null) {
        get(b.close());
      }
      if (a != null) {
        get(a.close());
      }
    }
  }

  private static NodeOptions options(int port, List<String> seeds) {
    return new NodeOptions().setCluster(new ClusterOptions().setHost("127.0.0.1").setPort(port).setSeeds(seeds))
      .setStatsIntervalMs(200).setDirectorySyncMs(600);
  }

  public static class TestEcho extends dev.beach.Actor {
    @Override
    public io.vertx.core.Future<?> start() {
      on("echo", req -> req.reply(req.body()));
      return super.start();
    }
  }

  private static <T> T get(io.vertx.core.Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
