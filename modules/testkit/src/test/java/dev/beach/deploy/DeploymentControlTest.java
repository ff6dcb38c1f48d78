package dev.beach.deploy;

import com.hazelcast.core.HazelcastInstance;
import dev.beach.ActorSpec;
import dev.beach.Address;
import dev.beach.BeachException;
import dev.beach.BeachNode;
import dev.beach.ErrorCode;
import dev.beach.control.NodeService;
import dev.beach.impl.cluster.ClusterView;
import dev.beach.impl.control.ControlPlane;
import dev.beach.testkit.Await;
import dev.beach.testkit.BeachCluster;
import dev.beach.testkit.TestCluster;
import io.vertx.core.Future;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The leader's two control calls: a start asked twice starts one actor; a stale view is refused. */
@BeachCluster(nodes = 2)
class DeploymentControlTest {

  private final TestCluster cluster;

  DeploymentControlTest(TestCluster cluster) {
    this.cluster = cluster;
  }

  private static ClusterView view(BeachNode node) {
    HazelcastInstance hz = ((HazelcastClusterManager) ((VertxInternal) node.vertx()).clusterManager())
      .getHazelcastInstance();
    return ClusterView.of(hz, node.id());
  }

  private JsonObject start(String instance, ClusterView view) {
    return new JsonObject().put("spec", ActorSpec.of(DeploymentClusterTest.REALM, DeploymentActors.Worker.class, "idem")
        .toJson()).put("deployment", "manual").put("instance", instance).put("revision", "r1")
      .put("leader", view.leader()).put("view", view.version());
  }

  @Test
  void theSameStartTwiceStartsOneActor() {
    BeachNode target = cluster.node(1);
    NodeService remote = ControlPlane.proxy(cluster.node(0).vertx(), Address.node(target.id()), 5_000);
    ClusterView view = view(cluster.node(0));
    assertEquals(view.version(), view(target).version(), "both see the same member list");
    // at once (the second arrives while the first starts) and again after it ran
    Future<String> a = remote.startInstance(start("7", view));
    Future<String> b = remote.startInstance(start("7", view));
    String id = Await.result(a);
    assertEquals(id, Await.result(b));
    assertEquals(id, Await.result(remote.startInstance(start("7", view))));
    Await.until("listed", Duration.ofSeconds(5), () -> cluster.beach(0).directory(DeploymentClusterTest.REALM, "idem")
      .size() == 1);
    assertEquals("manual", cluster.beach(0).directory(DeploymentClusterTest.REALM, "idem").get(0).deployment());
    // another instance key is another actor
    String other = Await.result(remote.startInstance(start("8", view)));
    assertTrue(!other.equals(id));
    JsonObject retire = new JsonObject().put("ids", new JsonArray().add(id).add(other)).put("leader", view.leader())
      .put("view", view.version()).put("quietMs", 10).put("maxWaitMs", 1000);
    assertEquals(2, Await.result(remote.retire(retire)));
    assertEquals(0, Await.result(remote.retire(retire)), "retiring twice retires once");
  }

  @Test
  void aStaleViewOrAnotherLeaderIsRefused() {
    NodeService remote = ControlPlane.proxy(cluster.node(0).vertx(), Address.node(cluster.node(1).id()), 5_000);
    ClusterView view = view(cluster.node(0));
    BeachException stale = Await.failure(remote.startInstance(start("1", view).put("view", "2:deadbeef")));
    assertEquals(ErrorCode.CONFLICT, stale.code());
    assertTrue(stale.getMessage().contains("stale view"), stale.getMessage());
    BeachException notLeader = Await.failure(remote.startInstance(start("1", view).put("leader", cluster.node(1).id())));
    assertEquals(ErrorCode.CONFLICT, notLeader.code());
    BeachException retire = Await.failure(remote.retire(new JsonObject().put("ids", new JsonArray().add("x-1"))
      .put("leader", view.leader()).put("view", "0:0")));
    assertEquals(ErrorCode.CONFLICT, retire.code());
    assertTrue(cluster.beach(0).directory(DeploymentClusterTest.REALM, "idem").stream()
      .noneMatch(a -> "1".equals(a.instance())), "nothing started");
    List.of();
  }
}
