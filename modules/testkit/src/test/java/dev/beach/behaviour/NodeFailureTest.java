package dev.beach.behaviour;

import dev.beach.ActorHandle;
import dev.beach.ActorSpec;
import dev.beach.BeachException;
import dev.beach.ErrorCode;
import dev.beach.HandleOptions;
import dev.beach.Placement;
import dev.beach.testkit.Await;
import dev.beach.testkit.TestCluster;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A node that dies or leaves: its actors leave every view within seconds and in-flight requests fail fast. */
class NodeFailureTest {

  private static final String REALM = "failure";
  private TestCluster cluster;

  @AfterEach
  void tearDown() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void crashedNodeIsPurgedAndItsInFlightRequestsFailFast() {
    cluster = TestCluster.start(3);
    String dying = cluster.node(2).id();
    List<String> ids = Await.result(cluster.beach(0).deploy(ActorSpec.of(REALM, TestActors.Echo.class, "victim")
      .setInstances(3).setPlacement(Placement.nodeId(dying))));
    // A request that will never be answered, with a 60 s timeout: only node loss can end it early.
    Future<Object> inFlight = cluster.beach(0).handle(REALM, "victim")
      .withOptions(new HandleOptions().setTimeoutMs(60_000).setRetries(0)).request("never", null);
    Await.until("request reached the actor", Duration.ofSeconds(5), () -> stats(dying) > 0);

    long crashedAt = System.currentTimeMillis();
    cluster.crash(2);

    BeachException e = Await.failure(inFlight);
    long failedAfter = System.currentTimeMillis() - crashedAt;
    assertEquals(ErrorCode.NO_ACTORS, e.code(), e.toString());
    assertTrue(e.getMessage().contains(dying), e.getMessage());
    assertTrue(failedAfter < 10_000, "in-flight request failed after " + failedAfter + " ms");

    for (int i = 0; i < 2; i++) {
      int node = i;
      Await.until("node " + i + " purges the dead node's actors", Duration.ofSeconds(10),
        () -> cluster.beach(node).directory(REALM, "victim").isEmpty());
    }
    long purgedAfter = System.currentTimeMillis() - crashedAt;
    assertTrue(purgedAfter < 10_000, "purged after " + purgedAfter + " ms");
    assertEquals(2, Await.result(cluster.beach(0).nodes()).size());
    assertEquals(ErrorCode.NO_ACTORS, Await.failure(cluster.beach(1).handle(REALM, "victim").withRetries(0)
      .request("echo", null)).code());
    System.out.printf("crash: in-flight failed after %d ms, directory purged after %d ms (ids %s)%n",
      failedAfter, purgedAfter, ids);
  }

  private int stats(String nodeId) {
    return Await.result(cluster.beach(0).actors(REALM, "victim")).stream()
      .filter(a -> a.node().equals(nodeId)).mapToInt(a -> a.stats().pending()).sum();
  }

  @Test
  void requestsInFlightToADeadNodeAreRetriedOnSurvivorsWithTheSameId() {
    cluster = TestCluster.start(3);
    String survivor = cluster.node(1).id();
    String dying = cluster.node(2).id();
    // Concurrency 100: the held requests wait at their gate side by side, not one after another.
    Await.result(cluster.beach(0).deploy(ActorSpec.of(REALM, TestActors.Echo.class, "work").setConcurrency(100)
      .setPlacement(Placement.nodeId(survivor))));
    Await.result(cluster.beach(0).deploy(ActorSpec.of(REALM, TestActors.Echo.class, "work").setConcurrency(100)
      .setPlacement(Placement.nodeId(dying))));
    TestActors.Gate atSurvivor = TestActors.Gate.of("work", survivor);
    TestActors.Gate atDying = TestActors.Gate.of("work", dying);
    ActorHandle h = cluster.beach(0).handle(REALM, "work")
      .withOptions(new HandleOptions().setTimeoutMs(20_000).setRetries(3).setRetryDelayMs(50));
    List<Future<JsonObject>> sent = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      sent.add(h.request("hold", new JsonObject().put("gate", "work")));
    }
    // Crash once every request is held by an actor: the dead node's share is then known, by request id.
    Await.until("all 40 requests held", Duration.ofSeconds(10),
      () -> atSurvivor.ids().size() + atDying.ids().size() == 40);
    Set<String> lost = atDying.ids();
    assertFalse(lost.isEmpty(), "the node about to crash holds none of the requests: nothing would be retried");
    cluster.crash(2);
    Await.until("the crashed node's requests reach the survivor", Duration.ofSeconds(30),
      () -> atSurvivor.ids().size() >= 40);
    assertTrue(atSurvivor.ids().containsAll(lost), "retried under other ids: " + lost + " vs " + atSurvivor.ids());
    atSurvivor.open();
    Set<String> answeredBy = new HashSet<>();
    Set<String> answeredIds = new HashSet<>();
    for (Future<JsonObject> f : sent) {
      JsonObject r = Await.result(f, Duration.ofSeconds(60));
      answeredBy.add(r.getString("node"));
      answeredIds.add(r.getString("requestId"));
    }
    // Every request got one answer, from the survivor; the ones the dead node held kept their ids.
    assertEquals(Set.of(survivor), answeredBy);
    assertEquals(40, answeredIds.size());
    assertTrue(answeredIds.containsAll(lost), "answered: " + answeredIds + ", held by the dead node: " + lost);
  }

  @Test
  void gracefulLeaveRemovesActorsFromOtherViewsQuickly() {
    cluster = TestCluster.start(2);
    Await.result(cluster.beach(0).deploy(ActorSpec.of(REALM, TestActors.Echo.class, "leaver")
      .setInstances(2).setPlacement(Placement.nodeId(cluster.node(1).id()))));
    long t0 = System.currentTimeMillis();
    cluster.stop(1);
    Await.until("actors of the node that left are gone", Duration.ofSeconds(5),
      () -> cluster.beach(0).directory(REALM, "leaver").isEmpty());
    assertTrue(System.currentTimeMillis() - t0 < 10_000);
    Await.until("one node left", Duration.ofSeconds(10), () -> Await.result(cluster.beach(0).nodes()).size() == 1);
  }

  @Test
  void aNodeThatJoinsLateKnowsTheRunningActorsAsSoonAsItStarts() {
    cluster = TestCluster.start(2);
    Await.result(cluster.beach(0).deploy(ActorSpec.of(REALM, TestActors.Echo.class, "early").setInstances(5)));
    dev.beach.BeachNode late = cluster.join(List.of("late"));
    assertEquals(5, late.beach().directory(REALM, "early").size(), "directory filled before start completed");
    JsonObject r = Await.result(late.beach().handle(REALM, "early").withRetries(0).request("echo", new JsonObject()));
    assertTrue(r.containsKey("actor"));
    Await.until("all three see each other", Duration.ofSeconds(10),
      () -> Await.result(cluster.beach(0).nodes()).size() == 3);
  }
}
