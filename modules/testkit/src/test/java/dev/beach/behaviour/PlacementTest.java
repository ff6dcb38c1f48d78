package dev.beach.behaviour;

import dev.beach.ActorInfo;
import dev.beach.ActorSpec;
import dev.beach.Beach;
import dev.beach.BeachException;
import dev.beach.ErrorCode;
import dev.beach.Placement;
import dev.beach.testkit.Await;
import dev.beach.testkit.BeachCluster;
import dev.beach.testkit.TestCluster;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
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
    assertEquals(instances == 0 ? cluster.size() : ids.size(), ids.size());
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
    Map<String, Integer> byHost = deploy(cat(), 3, Placement.host(TestCluster.HOST));
    assertEquals(3, byHost.values().stream().mapToInt(Integer::intValue).sum());
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
  void leastLoadedPlacesOnLiveNodes() {
    // Which node wins depends on live CPU and heap figures, equal in truth for nodes sharing one JVM; the
    // choice itself is tested with chosen figures in core's PlacementsTest.
    Map<String, Integer> placed = deploy(cat(), 4, Placement.leastLoaded());
    assertEquals(4, placed.values().stream().mapToInt(Integer::intValue).sum());
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
