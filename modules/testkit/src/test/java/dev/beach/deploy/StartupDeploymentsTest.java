package dev.beach.deploy;

import com.hazelcast.core.HazelcastInstance;
import dev.beach.ActorInfo;
import dev.beach.Address;
import dev.beach.BeachNode;
import dev.beach.Deployment;
import dev.beach.DeploymentStatus;
import dev.beach.NodeOptions;
import dev.beach.Readiness;
import dev.beach.testkit.Await;
import dev.beach.testkit.TestCluster;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The deployments a node applies at start (cluster.yaml's {@code deploy:} list): applied once however many nodes start
 * with the list, left alone by a node restarting with it, and the node's readiness waits for them, within a bound.
 */
class StartupDeploymentsTest {

  private static final String REALM = DeploymentClusterTest.REALM;
  private TestCluster cluster;
  private Vertx vertx;
  private BeachNode single;

  @AfterEach
  void tearDown() {
    if (cluster != null) {
      cluster.close();
    }
    if (single != null) {
      Await.result(single.close());
    }
    if (vertx != null) {
      Await.result(vertx.close());
    }
  }

  /** A deploy list as cluster.yaml writes it: no name (derived from realm and first category). */
  private static List<Deployment> deployList(JsonObject... entries) {
    JsonArray list = new JsonArray();
    for (JsonObject e : entries) {
      list.add(e);
    }
    return new NodeOptions(new JsonObject().put("deploy", list)).validate().getDeployments();
  }

  private static JsonObject entry(Class<?> type, String category) {
    return new JsonObject().put("realm", REALM).put("class", type.getName()).put("categories", new JsonArray().add(category));
  }

  private static long generation(BeachNode node, String name) {
    HazelcastInstance hz = ((HazelcastClusterManager) ((VertxInternal) node.vertx()).clusterManager())
      .getHazelcastInstance();
    Object text = hz.getMap(Address.DEPLOYMENTS_MAP).get(name);
    return new JsonObject(String.valueOf(text)).getLong("generation");
  }

  private static Set<String> ids(BeachNode node, String deployment) {
    return node.beach().directory(REALM, null).stream().filter(a -> deployment.equals(a.deployment()))
      .map(ActorInfo::id).collect(Collectors.toCollection(TreeSet::new));
  }

  @Test
  void nodesStartingWithOneListAgreeAndARestartWithItChangesNothing() {
    List<Deployment> list = deployList(entry(DeploymentActors.Worker.class, "boot").put("instances", 2)
      .put("strategy", "node(tag:keeper)"));
    String name = list.get(0).getName();
    assertEquals(REALM + "-boot", name, "named after realm and first category");
    // node 0 keeps the actors (its tag), so restarting node 2 touches none of them
    List<List<Deployment>> lists = new java.util.ArrayList<>(List.of(list));
    cluster = TestCluster.start(3, (i, o) -> o.setTags(i == 0 ? List.of("keeper") : List.of())
      .setDeployments(lists.get(lists.size() - 1)));
    for (BeachNode n : cluster.nodes()) {
      Await.result(n.awaitReady(), Duration.ofSeconds(20));
    }
    Set<String> before = ids(cluster.node(0), name);
    assertEquals(2, before.size());
    assertEquals(1, generation(cluster.node(0), name), "three nodes applied one list: written once");

    cluster.stop(2);
    BeachNode again = cluster.join(List.of());
    Await.result(again.awaitReady(), Duration.ofSeconds(20));
    assertEquals(1, generation(again, name), "a restart with the same list writes nothing");
    assertEquals(before, ids(cluster.node(0), name), "and restarts no actor");
    assertEquals(before, ids(again, name), "the restarted node lists them once ready");

    // A node starting with an edited entry changes that same deployment: the count, not the running actors.
    lists.add(deployList(entry(DeploymentActors.Worker.class, "boot").put("instances", 3)
      .put("strategy", "node(tag:keeper)")));
    cluster.stop(1);
    BeachNode edited = cluster.join(List.of());
    Await.result(edited.awaitReady(), Duration.ofSeconds(20));
    assertEquals(2, generation(edited, name));
    Set<String> after = ids(edited, name);
    assertEquals(3, after.size());
    assertTrue(after.containsAll(before), "same revision: the two running actors stay");
  }

  private BeachNode startSingle(NodeOptions options) {
    vertx = Vertx.vertx();
    single = Await.result(BeachNode.start(vertx, options.setStatsIntervalMs(200).setDirectorySyncMs(1000)));
    return single;
  }

  @Test
  void readyOnlyOnceTheStartUpActorsAreListed() {
    List<Deployment> list = deployList(entry(DeploymentActors.SlowStart.class, "slowboot").put("instances", 2)
      .put("params", new JsonObject().put("startMs", 1500)));
    BeachNode node = startSingle(new NodeOptions().setDeployments(list));
    Readiness early = node.readiness();
    assertFalse(early.ready(), "the actors take 1.5 s to start");
    assertTrue(early.waitingFor().get(0).startsWith("deployment " + REALM + "-slowboot: "), early.toString());
    Await.result(node.awaitReady(), Duration.ofSeconds(20));
    assertTrue(node.readiness().ready());
    List<ActorInfo> listed = Await.result(node.beach().actors(REALM, "slowboot"));
    assertEquals(2, listed.size(), "ready implies the start-up actors are listed: " + listed);
    assertEquals(DeploymentStatus.State.AVAILABLE, Await.result(node.beach().deployment(REALM + "-slowboot")).state());
  }

  @Test
  void aFailedStartUpDeploymentEndsTheWait() {
    List<Deployment> list = deployList(entry(DeploymentActors.Broken.class, "broken").put("maxRestarts", 0),
      entry(DeploymentActors.Worker.class, "fine"));
    BeachNode node = startSingle(new NodeOptions().setDeployments(list).setReadyTimeoutMs(120_000));
    Await.result(node.awaitReady(), Duration.ofSeconds(20));
    assertEquals(DeploymentStatus.State.FAILED, Await.result(node.beach().deployment(REALM + "-broken")).state());
    assertEquals(1, node.beach().directory(REALM, "fine").size(), "the other one runs");
  }

  @Test
  void aDeploymentThatCanNeverRunKeepsTheNodeUnreadyOnlyUntilTheBound() {
    List<Deployment> list = deployList(entry(DeploymentActors.Worker.class, "nowhere")
      .put("strategy", "node(tag:no-such-node)"));
    long started = System.currentTimeMillis();
    BeachNode node = startSingle(new NodeOptions().setDeployments(list).setReadyTimeoutMs(2_000));
    Await.until("the leader says why", Duration.ofSeconds(10),
      () -> node.readiness().waitingFor().stream().anyMatch(w -> w.contains("no ready node matches")));
    assertFalse(node.readiness().ready());
    Await.result(node.awaitReady(), Duration.ofSeconds(20));
    assertTrue(System.currentTimeMillis() - started >= 2_000, "not before node.readyTimeoutMs");
    assertTrue(node.readiness().ready());
  }
}
