package dev.beach.deploy;

import dev.beach.ActorInfo;
import dev.beach.Beach;
import dev.beach.BeachNode;
import dev.beach.Deployment;
import dev.beach.DeploymentStatus;
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
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The self-healing issue's proof: kill (crash) a node hosting part of a deployment on three nodes, and measure the
 * time until the deployment is back at its desired count and every actor answers. Half the rounds kill the leader.
 */
class DeploymentFailoverTest {

  private static final String REALM = DeploymentClusterTest.REALM;
  private static final int ROUNDS = 6;
  private TestCluster cluster;

  @AfterEach
  void tearDown() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aKilledNodesActorsAreBackAndAnsweringWithinSeconds() {
    // The periodic look is put off to 30 s: only the reaction to the departure itself can meet the bounds.
    cluster = TestCluster.start(3, (i, o) -> o.setReconcileIntervalMs(30_000));
    List<BeachNode> live = new ArrayList<>(cluster.nodes());
    Await.result(live.get(0).beach().apply(Deployment.of("fo", REALM, DeploymentActors.Worker.class, "fo")
      .setInstances(6).setPlacement(Placement.spread())));
    DeploymentClusterTest.awaitState(live.get(0).beach(), "fo", DeploymentStatus.State.AVAILABLE, Duration.ofSeconds(15));
    List<Long> times = new ArrayList<>();
    for (int round = 0; round < ROUNDS; round++) {
      // even rounds: a node hosting part of it that is not the leader; odd rounds: the leader (the oldest) when it
      // hosts part of it (spread does not move actors onto nodes that join, so it may host none)
      Beach observer = live.get(1).beach();
      Set<String> hosting = new HashSet<>();
      observer.directory(REALM, "fo").forEach(a -> hosting.add(a.node()));
      BeachNode victim = round % 2 == 1 && hosting.contains(live.get(0).id()) ? live.get(0)
        : live.stream().skip(1).filter(n -> hosting.contains(n.id())).reduce((a, b) -> b).orElseThrow();
      boolean leader = victim == live.get(0);
      Beach survivor = live.stream().filter(n -> n != victim).findFirst().orElseThrow().beach();
      String victimId = victim.id();
      cluster.awaitSafe(live.get(0));
      long t0 = System.nanoTime();
      cluster.crash(cluster.nodes().indexOf(victim));
      live.remove(victim);
      awaitBackAndAnswering(survivor, victimId);
      long ms = (System.nanoTime() - t0) / 1_000_000;
      times.add(ms);
      System.out.printf("failover round %d (%s killed): %d ms%n", round, leader ? "leader" : "member", ms);
      live.add(cluster.join(List.of()));
      cluster.awaitMembersOf(live);
    }
    List<Long> sorted = new ArrayList<>(times);
    Collections.sort(sorted);
    long p50 = sorted.get(sorted.size() / 2);
    long max = sorted.get(sorted.size() - 1);
    System.out.printf("failover over %d rounds: p50 %d ms, max %d ms, all %s%n", ROUNDS, p50, max, times);
    // The goal: p50 <= 1 s and max <= 3 s. Measured here 0.56-0.98 s p50, 1.0-1.15 s max; the p50 bound
    // leaves room for a 2-core machine shared with other builds.
    assertTrue(max <= 3_000, "failover took " + times);
    assertTrue(p50 <= 1_500, "failover took " + times);
    DeploymentStatus s = Await.result(live.get(0).beach().deployment("fo"));
    assertEquals(0, s.restarts(), "a node's death is not an actor's crash");
  }

  /** Until the survivor lists 6 actors of the deployment, none on the dead node, and every one of them answers. */
  private static void awaitBackAndAnswering(Beach survivor, String dead) {
    HandleOptions quick = new HandleOptions().setTimeoutMs(500).setRetries(0);
    Await.until("6 actors back and answering", Duration.ofSeconds(30), () -> {
      List<ActorInfo> actors = survivor.directory(REALM, "fo");
      Set<String> instances = new HashSet<>();
      for (ActorInfo a : actors) {
        if (a.node().equals(dead)) {
          return false;
        }
        instances.add(a.instance());
      }
      if (instances.size() != 6) {
        return false;
      }
      List<Future<JsonObject>> answers = new ArrayList<>();
      for (ActorInfo a : actors) {
        answers.add(survivor.actor(REALM, a.id()).withOptions(quick).request("whoami", null));
      }
      try {
        Await.result(Future.all(answers), Duration.ofSeconds(2));
        return true;
      } catch (RuntimeException | AssertionError e) {
        return false;
      }
    });
  }
}
