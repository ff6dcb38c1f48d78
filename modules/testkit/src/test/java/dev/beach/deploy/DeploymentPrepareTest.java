package dev.beach.deploy;

import dev.beach.Actor;
import dev.beach.BeachException;
import dev.beach.BeachNode;
import dev.beach.ClusterOptions;
import dev.beach.Deployment;
import dev.beach.DeploymentStatus;
import dev.beach.ErrorCode;
import dev.beach.NodeOptions;
import dev.beach.Placement;
import dev.beach.spi.ActorFactory;
import dev.beach.spi.ClusterSupport;
import dev.beach.testkit.Await;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every node readies the classes of the cluster's deployments ({@link ActorFactory#prepare}), also those it hosts
 * no actor of: when a node dies, the actors moved to it start without compiling their realm's code first. A node
 * that joins later readies the deployments there are; a new revision is readied again.
 */
class DeploymentPrepareTest {

  private static final String REALM = DeploymentClusterTest.REALM;
  private static final String WORKER = DeploymentActors.Worker.class.getName();
  private final List<BeachNode> nodes = new ArrayList<>();

  @AfterEach
  void tearDown() {
    for (BeachNode n : nodes) {
      Await.result(n.close());
    }
  }

  /** Classpath actors; remembers what it was asked to prepare, as {@code realm/class/greeting}. */
  static final class Recording implements ActorFactory {
    final Set<String> prepared = ConcurrentHashMap.newKeySet();

    @Override
    public Actor create(String realm, String className) {
      try {
        return (Actor) Class.forName(className).getConstructor().newInstance();
      } catch (ReflectiveOperationException e) {
        throw new BeachException(ErrorCode.NOT_FOUND, "no class " + className);
      }
    }

    @Override
    public void prepare(String realm, String className) {
      prepared.add(realm + "/" + className);
    }
  }

  private BeachNode start(int port, List<String> seeds, Recording factory) {
    BeachNode node = Await.result(BeachNode.clustered(new NodeOptions().setStatsIntervalMs(200)
      .setCluster(new ClusterOptions().setHost("127.0.0.1").setPort(port).setSeeds(seeds)), factory), Duration.ofSeconds(60));
    nodes.add(node);
    return node;
  }

  @Test
  void everyNodeReadiesTheDeploymentsClassesWhetherItHostsThemOrNot() {
    List<Integer> ports = List.of(ClusterSupport.freePort(), ClusterSupport.freePort(), ClusterSupport.freePort());
    List<String> seeds = ports.stream().map(p -> "127.0.0.1:" + p).toList();
    Recording onA = new Recording();
    Recording onB = new Recording();
    BeachNode a = start(ports.get(0), seeds, onA);
    BeachNode b = start(ports.get(1), seeds, onB);
    Await.until("two nodes", Duration.ofSeconds(30), () -> Await.result(a.beach().nodes()).size() == 2
      && Await.result(b.beach().nodes()).size() == 2);

    // Placed on A only: B hosts none of it, and readies it all the same.
    Await.result(a.beach().apply(Deployment.of("prep", REALM, DeploymentActors.Worker.class, "prep")
      .setInstances(1).setPlacement(Placement.node("id:" + a.id()))));
    DeploymentClusterTest.awaitState(a.beach(), "prep", DeploymentStatus.State.AVAILABLE, Duration.ofSeconds(15));
    Await.until("B readies the class of a deployment it does not host", Duration.ofSeconds(10),
      () -> onB.prepared.contains(REALM + "/" + WORKER));
    assertTrue(b.beach().directory(REALM, "prep").stream().allMatch(x -> x.node().equals(a.id())));

    // A node that joins later readies what is already deployed, as it starts.
    Recording onC = new Recording();
    start(ports.get(2), seeds, onC);
    Await.until("C readies the deployments it found", Duration.ofSeconds(10),
      () -> onC.prepared.contains(REALM + "/" + WORKER));

    // A new revision (other parameters: other actors) is readied again, on every node.
    onB.prepared.clear();
    Await.result(a.beach().apply(Deployment.of("prep", REALM, DeploymentActors.Worker.class, "prep")
      .setInstances(1).setPlacement(Placement.node("id:" + a.id())).setParams(new JsonObject().put("v", 2))));
    Await.until("B readies the new revision", Duration.ofSeconds(10), () -> onB.prepared.contains(REALM + "/" + WORKER));
    assertEquals(Set.of(REALM + "/" + WORKER), onB.prepared);
  }
}
