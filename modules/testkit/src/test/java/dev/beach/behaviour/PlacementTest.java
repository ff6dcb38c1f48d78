package dev.beach.behaviour;

import dev.beach.ActorInfo;
import dev.beach.ActorSpec;
import dev.beach.Address;
import dev.beach.Beach;
import dev.beach.BeachException;
import dev.beach.ErrorCode;
import dev.beach.NodeInfo;
import dev.beach.Placement;
import dev.beach.testkit.Await;
import dev.beach.testkit.BeachCluster;
import dev.beach.testkit.TestCluster;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every placement strategy lands where DESIGN.md says, on three nodes tagged gpu / (none) / edge. */
@BeachCluster(nodes = 3, tags = {"gpu", "", "edge,ssd"})
class PlacementTest {

  private static final String REALM = "placement";
  private static final AtomicInteger SEQ = new AtomicInteger();
  private final TestCluster cluster;

  PlacementTest(TestCluster cluster) {
    this.cluster = cluster;
  }

  private Beach beach() {
    return cluster.beach(0);
  }

  private static String cat() {
    return "p" + SEQ.incrementAndGet();
  }

  /** node id → how many of the category it hosts. */
  private Map<String, Integer> deploy(String category, int instances, Placement placement) {
    List<String> ids = Await.result(beach().deploy(ActorSpec.of(REALM, TestActors.Echo.class, category)
      .setInstances(instances).setPlacement(placement)));
    assertEquals(instances, ids.size());
    Set<String> listed = beach().directory(REALM, category).stream().map(ActorInfo::id).collect(Collectors.toSet());
    assertTrue(listed.containsAll(ids), "deployed " + ids + ", listed " + listed);
    return where(category);
  }

  private Map<String, Integer> where(String category) {
    Map<String, Integer> counts = new HashMap<>();
    for (ActorInfo a : beach().directory(REALM, category)) {
      counts.merge(a.node(), 1, Integer::sum);
    }
    return counts;
  }

  private String id(int i) {
    return cluster.node(i).id();
  }

  @Test
  void localLandsOnTheDeployingNode() {
    assertEquals(Map.of(id(0), 3), deploy(cat(), 3, Placement.local()));
  }

  @Test
  void nodeByIdHostAndTagAreHard() {
    assertEquals(Map.of(id(1), 2), deploy(cat(), 2, Placement.nodeId(id(1))));
    assertEquals(Map.of(id(0), 2), deploy(cat(), 2, Placement.tag("gpu")));
    assertEquals(Map.of(id(2), 1), deploy(cat(), 1, Placement.parse("node(ssd)")));
    // Every node of the test cluster is on this host: the matching nodes take turns.
    assertEquals(Map.of(id(0), 1, id(1), 1, id(2), 1), deploy(cat(), 3, Placement.host(TestCluster.HOST)));
  }

  @Test
  void nodeTagNobodyHasIs503NamingTheNodes() {
    BeachException e = Await.failure(beach().deploy(ActorSpec.of(REALM, TestActors.Echo.class, cat())
      .setPlacement(Placement.tag("tpu"))));
    assertEquals(ErrorCode.NO_ACTORS, e.code());
    assertTrue(e.getMessage().contains("tag:tpu") && e.getMessage().contains(id(0)), e.getMessage());
  }

  @Test
  void spreadPutsOneOnEveryNode() {
    String c = cat();
    Await.result(beach().deploy(ActorSpec.of(REALM, TestActors.Echo.class, c).setPlacement(Placement.spread())));
    assertEquals(Map.of(id(0), 1, id(1), 1, id(2), 1), where(c));
  }

  @Test
  void spreadWithACountSpreadsThatManyEvenly() {
    String c = cat();
    Await.result(beach().deploy(ActorSpec.of(REALM, TestActors.Echo.class, c).setInstances(6)
      .setPlacement(Placement.spread())));
    assertEquals(Map.of(id(0), 2, id(1), 2, id(2), 2), where(c));
  }

  @Test
  void roundRobinCyclesThroughTheNodes() {
    assertEquals(Set.of(1), Set.copyOf(deploy(cat(), 3, Placement.roundRobin()).values()));
  }

  @Test
  void repulsionSpreadsAwayFromNodesAlreadyHostingTheCategory() {
    String c = cat();
    deploy(c, 2, Placement.local());
    Map<String, Integer> after = deploy(c, 4, Placement.repulsion(c));
    // 2 on node 0 already; four more go where there are fewest: 2 on each of the others.
    assertEquals(Map.of(id(0), 2, id(1), 2, id(2), 2), after);
  }

  @Test
  void affinityJoinsTheNodeHostingTheHintCategory() {
    String anchor = cat();
    deploy(anchor, 1, Placement.nodeId(id(2)));
    String c = cat();
    assertEquals(Map.of(id(2), 3), deploy(c, 3, Placement.affinity(anchor)));
    // No node hosts the hint: any node will do.
    assertEquals(2, deploy(cat(), 2, Placement.affinity("nothing-here")).values().stream().mapToInt(i -> i).sum());
  }

  @Test
  void leastLoadedFillsTheIdleNodeAndSparesTheBusyOne() {
    // Nodes sharing one JVM share its CPU and heap, so their true loads are equal. Node 1 and node 2 are made to
    // report a load of their own: their published statistics are rewritten on the way out. Node 0, the deployer,
    // counts itself with its real figures: some heap in use, so more than node 2's nothing.
    Handler<DeliveryContext<Object>> busy = rewriteStats(id(1), s -> s.put("cpu", 1.0).put("heapUsed", s.getLong("heapMax")));
    Handler<DeliveryContext<Object>> idle = rewriteStats(id(2), s -> s.put("cpu", 0.0).put("heapUsed", 0L).put("actors", 0));
    cluster.node(1).vertx().eventBus().addOutboundInterceptor(busy);
    cluster.node(2).vertx().eventBus().addOutboundInterceptor(idle);
    try {
      Await.until("node 0 sees node 1 busy and node 2 idle", Duration.ofSeconds(10), () -> {
        Map<String, NodeInfo> seen = nodes();
        return seen.get(id(1)).cpu() == 1.0 && seen.get(id(2)).heapUsed() == 0;
      });
      assertTrue(nodes().get(id(0)).load() > 0.01, "the deployer's own load: " + nodes().get(id(0)));
      assertEquals(Map.of(id(2), 4), deploy(cat(), 4, Placement.leastLoaded()));
    } finally {
      cluster.node(1).vertx().eventBus().removeOutboundInterceptor(busy);
      cluster.node(2).vertx().eventBus().removeOutboundInterceptor(idle);
    }
    Await.until("real statistics again", Duration.ofSeconds(10), () -> {
      Map<String, NodeInfo> seen = nodes();
      return seen.get(id(1)).heapUsed() < seen.get(id(1)).heapMax() && seen.get(id(2)).heapUsed() > 0;
    });
  }

  /** An interceptor that edits {@code nodeId}'s statistics as they leave its node. */
  private static Handler<DeliveryContext<Object>> rewriteStats(String nodeId, Consumer<JsonObject> edit) {
    return dc -> {
      if (Address.STATS.equals(dc.message().address()) && dc.body() instanceof JsonObject
        && nodeId.equals(((JsonObject) dc.body()).getString("id"))) {
        edit.accept((JsonObject) dc.body());
      }
      dc.next();
    };
  }

  /** The nodes as node 0, the deployer, sees them. */
  private Map<String, NodeInfo> nodes() {
    return Await.result(beach().nodes()).stream().collect(Collectors.toMap(NodeInfo::id, n -> n));
  }

  @Test
  void randomUsesMoreThanOneNode() {
    Map<String, Integer> placed = deploy(cat(), 30, Placement.random());
    assertTrue(placed.size() > 1, placed.toString());
  }

  @Test
  void nodesReportTheirTags() {
    Map<String, List<String>> tags = Await.result(beach().nodes()).stream()
      .collect(Collectors.toMap(n -> n.id(), n -> n.tags()));
    assertEquals(List.of("gpu"), tags.get(id(0)));
    assertEquals(List.of(), tags.get(id(1)));
    assertEquals(List.of("edge", "ssd"), tags.get(id(2)));
    assertNotEquals(0, Await.result(beach().nodes()).get(0).heapMax());
  }
}
