package dev.beach.impl;

import dev.beach.ActorListing;
import dev.beach.ActorSpec;
import dev.beach.Placement;
import dev.beach.behaviour.TestActors;
import dev.beach.impl.client.BeachClient;
import dev.beach.testkit.Await;
import dev.beach.testkit.TestCluster;
import io.vertx.core.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node that stays in the view but no longer answers its control plane (hung): cluster-wide listings answer within
 * their bound and name it; a call waiting on it ends as soon as it leaves the view, not after the control timeout.
 */
class HungNodeTest {

  private static final String REALM = "hung";
  private TestCluster cluster;

  @AfterEach
  void tearDown() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void listingsAnswerWithinTheirBoundAndCallsEndWhenTheNodeLeaves() {
    cluster = TestCluster.start(3);
    for (int i = 0; i < 3; i++) {
      Await.result(cluster.beach(0).deploy(ActorSpec.of(REALM, TestActors.Echo.class, "h")
        .setPlacement(Placement.nodeId(cluster.node(i).id()))));
    }
    NodeRuntime hung = (NodeRuntime) cluster.node(2);
    hung.pauseControl(true);

    long t0 = System.nanoTime();
    ActorListing listing = Await.result(cluster.beach(0).listActors(REALM, null));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(List.of(hung.id()), listing.missing());
    assertEquals(2, listing.actors().size());
    assertTrue(ms < BeachClient.LISTING_TIMEOUT_MS + 1_000, "listed in " + ms + " ms");
    assertEquals(2, Await.result(cluster.beach(1).actors(REALM, null)).size(), "actors() has the same bound");

    // A fan-out that waits on the hung node ends when it leaves the view (here: it dies), with what the others did.
    Future<Integer> stopping = cluster.beach(0).stop(REALM, "h");
    sleep(300);
    assertFalse(stopping.isComplete(), "waits on the hung node");
    long crash = System.nanoTime();
    // Out of the view without a word, like kill -9 (TestCluster.crash would also close its Vert.x, which answers
    // what it buffered with a failure: a dead process answers nothing).
    ((io.vertx.spi.cluster.hazelcast.HazelcastClusterManager) ((io.vertx.core.internal.VertxInternal) hung.vertx())
      .clusterManager()).getHazelcastInstance().getLifecycleService().terminate();
    int stopped = Await.result(stopping, Duration.ofSeconds(10));
    long after = (System.nanoTime() - crash) / 1_000_000;
    assertEquals(2, stopped);
    assertTrue(after < 5_000, "ended " + after + " ms after the crash, not after the 30 s control timeout");
    System.out.printf("hung node: listing in %d ms; pending stop ended %d ms after the node died%n", ms, after);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
