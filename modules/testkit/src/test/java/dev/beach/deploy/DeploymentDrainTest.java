package dev.beach.deploy;

import dev.beach.ActorHandle;
import dev.beach.Beach;
import dev.beach.Deployment;
import dev.beach.DeploymentStatus;
import dev.beach.ErrorCode;
import dev.beach.Placement;
import dev.beach.testkit.Await;
import dev.beach.testkit.TestCluster;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Drain and graceful shutdown move a node's supervised actors elsewhere first: no request fails for them. */
class DeploymentDrainTest {

  private static final String REALM = DeploymentClusterTest.REALM;
  private TestCluster cluster;

  @AfterEach
  void tearDown() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void drainingAndThenStoppingNodesMovesTheirActorsWithoutAFailedRequest() throws Exception {
    cluster = TestCluster.start(3);
    Beach caller = cluster.beach(0);
    Await.result(caller.apply(Deployment.of("moved", REALM, DeploymentActors.Worker.class, "mv").setInstances(3)
      .setPlacement(Placement.spread()).setConcurrency(50)));
    DeploymentClusterTest.awaitState(caller, "moved", DeploymentStatus.State.AVAILABLE, Duration.ofSeconds(10));
    Await.until("node 0 lists all 3", Duration.ofSeconds(5), () -> caller.directory(REALM, "mv").size() == 3);

    // Load from node 0 all along: quick requests and slow ones (200 ms) that are in flight during each move.
    // No retries: a request that a move breaks fails here instead of being re-sent.
    ActorHandle h = caller.handle(REALM, "mv").withRetries(0);
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger ok = new AtomicInteger();
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    Thread load = new Thread(() -> {
      while (running.get()) {
        List<Future<JsonObject>> batch = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
          batch.add(h.request(i % 2 == 0 ? "whoami" : "slow", new JsonObject().put("ms", 200)));
        }
        for (Future<JsonObject> f : batch) {
          try {
            Await.result(f, Duration.ofSeconds(20));
            ok.incrementAndGet();
          } catch (RuntimeException | AssertionError e) {
            failures.add(e);
          }
        }
      }
    }, "load");
    load.start();
    Thread.sleep(300);

    String drained = cluster.node(2).id();
    Await.result(caller.drain(drained), Duration.ofSeconds(30));
    assertTrue(caller.directory(REALM, "mv").stream().noneMatch(a -> a.node().equals(drained)), "nothing left there");
    assertEquals(3, caller.directory(REALM, "mv").size());
    Thread.sleep(300);

    // SIGTERM's path: a graceful close drains first, so its actors run elsewhere before it leaves.
    String stopped = cluster.node(1).id();
    cluster.stop(1);
    Await.until("all 3 on node 0", Duration.ofSeconds(10), () -> caller.directory(REALM, "mv").size() == 3
      && caller.directory(REALM, "mv").stream().allMatch(a -> a.node().equals(cluster.node(0).id())));
    Thread.sleep(300);
    running.set(false);
    load.join(30_000);

    assertTrue(failures.isEmpty(), failures.size() + " requests failed, first: " + failures.peek());
    assertTrue(ok.get() > 50, "requests answered: " + ok.get());
    DeploymentStatus s = DeploymentClusterTest.awaitState(caller, "moved", DeploymentStatus.State.AVAILABLE,
      Duration.ofSeconds(10));
    assertEquals(Map.of(cluster.node(0).id(), 3), s.perNode());
    assertEquals(0, s.restarts());
    assertFalse(s.perNode().containsKey(stopped));
    assertEquals(ErrorCode.NOT_FOUND, Await.failure(caller.drain("no-such-node")).code());
    System.out.printf("drain: %d requests answered, none failed%n", ok.get());
  }
}
