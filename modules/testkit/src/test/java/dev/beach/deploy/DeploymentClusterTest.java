package dev.beach.deploy;

import dev.beach.ActorInfo;
import dev.beach.Beach;
import dev.beach.BeachException;
import dev.beach.Deployment;
import dev.beach.DeploymentStatus;
import dev.beach.ErrorCode;
import dev.beach.Placement;
import dev.beach.testkit.Await;
import dev.beach.testkit.BeachCluster;
import dev.beach.testkit.TestCluster;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Deployments on three in-JVM nodes: applied, listed, scaled, removed, restarted after crashes, failed past the limit. */
@BeachCluster(nodes = 3)
class DeploymentClusterTest {

  static final String REALM = "deploy";
  private final TestCluster cluster;

  DeploymentClusterTest(TestCluster cluster) {
    this.cluster = cluster;
  }

  static DeploymentStatus awaitState(Beach beach, String name, DeploymentStatus.State state, Duration timeout) {
    DeploymentStatus[] last = {null};
    try {
      Await.until(name + " " + state.text(), timeout, () -> {
        last[0] = Await.result(beach.deployment(name));
        return last[0].state() == state && (state != DeploymentStatus.State.AVAILABLE || last[0].actual() == last[0].desired());
      });
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; last status " + last[0] + "; listed " + where(beach, name), e);
    }
    return last[0];
  }

  static Map<String, Integer> where(Beach beach, String deployment) {
    Map<String, Integer> out = new TreeMap<>();
    for (ActorInfo a : beach.directory(REALM, null)) {
      if (deployment.equals(a.deployment())) {
        out.merge(a.node(), 1, Integer::sum);
      }
    }
    return out;
  }

  @Test
  void applyPlacesNSpreadEvenlyAndEveryNodeListsTheStatus() {
    Beach beach = cluster.beach(1);
    DeploymentStatus first = Await.result(beach.apply(Deployment.of("spread6", REALM, DeploymentActors.Worker.class, "s6")
      .setInstances(6).setPlacement(Placement.spread()).setParams(new JsonObject().put("k", 1).put("_secret", "x"))));
    assertEquals(6, first.desired());
    DeploymentStatus s = awaitState(beach, "spread6", DeploymentStatus.State.AVAILABLE, Duration.ofSeconds(10));
    assertEquals(6, s.actual());
    assertEquals(Map.of(cluster.node(0).id(), 2, cluster.node(1).id(), 2, cluster.node(2).id(), 2), s.perNode());
    assertEquals(new JsonObject().put("k", 1), s.deployment().getJsonObject("params"), "private params stay hidden");
    for (int i = 0; i < 3; i++) {
      int n = i;
      Await.until("node " + i + " lists it", Duration.ofSeconds(5), () -> Await.result(cluster.beach(n).deployments())
        .stream().anyMatch(d -> d.name().equals("spread6") && d.state() == DeploymentStatus.State.AVAILABLE));
    }
    // every actor carries its deployment and instance key
    List<ActorInfo> actors = Await.result(beach.actors(REALM, "s6"));
    assertEquals(6, actors.size());
    assertTrue(actors.stream().allMatch(a -> "spread6".equals(a.deployment()) && a.instance() != null));
    Await.result(beach.remove("spread6"));
    assertTrue(beach.directory(REALM, "s6").isEmpty());
    assertEquals(ErrorCode.NOT_FOUND, Await.failure(beach.deployment("spread6")).code());
    assertEquals(ErrorCode.NOT_FOUND, Await.failure(beach.remove("spread6")).code());
  }

  @Test
  void scaleUpAndDownConverges() {
    Beach beach = cluster.beach(0);
    Await.result(beach.apply(Deployment.of("scaled", REALM, DeploymentActors.Worker.class, "sc").setInstances(2)));
    awaitState(beach, "scaled", DeploymentStatus.State.AVAILABLE, Duration.ofSeconds(10));
    Await.result(beach.scale("scaled", 5));
    assertEquals(5, awaitState(beach, "scaled", DeploymentStatus.State.AVAILABLE, Duration.ofSeconds(10)).actual());
    Await.until("5 listed", Duration.ofSeconds(5), () -> beach.directory(REALM, "sc").size() == 5);
    Await.result(beach.scale("scaled", 1));
    awaitState(beach, "scaled", DeploymentStatus.State.AVAILABLE, Duration.ofSeconds(10));
    Await.until("1 listed", Duration.ofSeconds(5), () -> beach.directory(REALM, "sc").size() == 1);
    assertEquals("0", beach.directory(REALM, "sc").get(0).instance(), "the highest instances go first");
    assertEquals(ErrorCode.NOT_FOUND, Await.failure(beach.scale("nope", 1)).code());
    assertEquals(ErrorCode.BAD_REQUEST, Await.failure(beach.scale("scaled", -1)).code());
    Await.result(beach.remove("scaled"));
  }

  @Test
  void perNodePutsKOnEveryMatchingNode() {
    Beach beach = cluster.beach(2);
    Await.result(beach.apply(Deployment.of("agents", REALM, DeploymentActors.Worker.class, "ag").setPerNode(2)));
    DeploymentStatus s = awaitState(beach, "agents", DeploymentStatus.State.AVAILABLE, Duration.ofSeconds(10));
    assertEquals(6, s.desired());
    assertEquals(Map.of(cluster.node(0).id(), 2, cluster.node(1).id(), 2, cluster.node(2).id(), 2), s.perNode());
    Await.result(beach.remove("agents"));
  }

  @Test
  void anActorThatCrashesIsRestartedWithBackoffAndPastTheLimitTheDeploymentFails() {
    Beach beach = cluster.beach(1);
    List<JsonObject> events = new CopyOnWriteArrayList<>();
    cluster.node(1).vertx().eventBus().<JsonObject>consumer(dev.beach.Address.EVENTS, m -> {
      if (m.body().getString("type", "").startsWith("deployment.") && "crashy".equals(m.body().getString("name"))) {
        events.add(m.body());
      }
    });
    long t0 = System.currentTimeMillis();
    Await.result(beach.apply(Deployment.of("crashy", REALM, DeploymentActors.Crashy.class, "cr").setInstances(1)
      .setParams(new JsonObject().put("crashAfterMs", 30)).setBackoffInitialMs(100).setBackoffMaxMs(1000)
      .setMaxRestarts(3).setWindowMs(60_000)));
    DeploymentStatus s = awaitState(beach, "crashy", DeploymentStatus.State.FAILED, Duration.ofSeconds(20));
    long took = System.currentTimeMillis() - t0;
    assertEquals(4, s.restarts(), "the fourth crash within the window is one too many");
    assertNotNull(s.lastError());
    assertTrue(s.lastError().getString("message").contains("crash number"), s.lastError().encode());
    // three restarts waited 100 + 200 + 400 ms
    assertTrue(took >= 700, "took " + took + " ms");
    Await.until("the events said so", Duration.ofSeconds(5), () -> events.stream()
      .anyMatch(e -> e.getString("type").equals("deployment.failed")));
    List<Long> delays = new ArrayList<>();
    events.stream().filter(e -> e.getString("type").equals("deployment.restarting"))
      .forEach(e -> delays.add(e.getLong("delayMs")));
    assertEquals(List.of(100L, 200L, 400L), delays);
    // failed: nothing restarts it any more
    int starts = DeploymentActors.Crashy.STARTS.get();
    sleep(500);
    assertEquals(starts, DeploymentActors.Crashy.STARTS.get());
    // every node answers the same status
    assertEquals(DeploymentStatus.State.FAILED, Await.result(cluster.beach(0).deployment("crashy")).state());
    Await.result(beach.remove("crashy"));
  }

  @Test
  void aStartThatFailsIsRetriedThenFailsTheDeploymentWithItsError() {
    Beach beach = cluster.beach(0);
    Await.result(beach.apply(Deployment.of("broken", REALM, DeploymentActors.Broken.class, "br").setInstances(1)
      .setBackoffInitialMs(50).setMaxRestarts(2)));
    DeploymentStatus s = awaitState(beach, "broken", DeploymentStatus.State.FAILED, Duration.ofSeconds(10));
    assertTrue(s.lastError().getString("message").contains("broken on purpose"), s.lastError().encode());
    Await.result(beach.apply(Deployment.of("missing", REALM, "com.nowhere.Missing", "mi").setBackoffInitialMs(50)
      .setMaxRestarts(1)));
    DeploymentStatus m = awaitState(beach, "missing", DeploymentStatus.State.FAILED, Duration.ofSeconds(10));
    assertTrue(m.lastError().getString("message").contains("com.nowhere.Missing"), m.lastError().encode());
    // applying again retries (and fails again, with a fresh count)
    Await.result(beach.apply(Deployment.of("broken", REALM, DeploymentActors.Broken.class, "br").setInstances(1)
      .setBackoffInitialMs(50).setMaxRestarts(2)));
    Await.until("retried", Duration.ofSeconds(5), () -> Await.result(beach.deployment("broken")).state()
      != DeploymentStatus.State.FAILED);
    awaitState(beach, "broken", DeploymentStatus.State.FAILED, Duration.ofSeconds(10));
    Await.result(beach.remove("broken"));
    Await.result(beach.remove("missing"));
  }

  @Test
  void onFailureLeavesACleanExitDownAndSaysSo() {
    Beach beach = cluster.beach(0);
    Await.result(beach.apply(Deployment.of("quitter", REALM, DeploymentActors.Quitter.class, "qu").setInstances(2)
      .setRestart(Deployment.Restart.ON_FAILURE)));
    DeploymentStatus[] s = {null};
    Await.until("both exited and stay down", Duration.ofSeconds(10), () -> {
      s[0] = Await.result(beach.deployment("quitter"));
      return s[0].state() == DeploymentStatus.State.DEGRADED && s[0].actual() == 0;
    });
    sleep(300);
    assertEquals(0, Await.result(beach.deployment("quitter")).actual(), "nothing restarted them");
    assertEquals(0, s[0].restarts());
    assertTrue(s[0].message().contains("on-failure"), s[0].message());
    Await.result(beach.remove("quitter"));
  }

  @Test
  void aStopByHandIsUndoneUnderRestartAlways() {
    Beach beach = cluster.beach(2);
    Await.result(beach.apply(Deployment.of("stubborn", REALM, DeploymentActors.Worker.class, "stb").setInstances(1)));
    awaitState(beach, "stubborn", DeploymentStatus.State.AVAILABLE, Duration.ofSeconds(10));
    Await.until("listed here", Duration.ofSeconds(5), () -> beach.directory(REALM, "stb").size() == 1);
    String first = beach.directory(REALM, "stb").get(0).id();
    Await.result(beach.stop(first));
    Await.until("replaced", Duration.ofSeconds(5), () -> beach.directory(REALM, "stb").size() == 1
      && !beach.directory(REALM, "stb").get(0).id().equals(first));
    assertEquals(0, Await.result(beach.deployment("stubborn")).restarts(), "a stop by hand is not a crash");
    Await.result(beach.remove("stubborn"));
  }

  @Test
  void invalidDeploymentsAreRefusedWithTheReason() {
    BeachException e = Await.failure(cluster.beach(0).apply(Deployment.of("Bad Name", REALM, "X", "c")));
    assertEquals(ErrorCode.BAD_REQUEST, e.code());
    assertTrue(e.getMessage().contains("Bad Name"), e.getMessage());
    assertNull(null);
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
