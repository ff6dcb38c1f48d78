package dev.beach.impl.directory;

import dev.beach.ActorInfo;
import dev.beach.BeachException;
import dev.beach.ErrorCode;
import dev.beach.NodeInfo;
import dev.beach.Placement;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Placement decisions with chosen node figures (a cluster test cannot pin the CPU load of its nodes). */
class PlacementsTest {

  private static NodeInfo node(String id, double cpu, long heapUsed, int actors, String... tags) {
    return NodeInfo.fromJson(new JsonObject().put("id", id).put("host", "h-" + id).put("cpu", cpu)
      .put("heapUsed", heapUsed).put("heapMax", 1000L).put("actors", actors).put("tags", new JsonArray(List.of(tags))));
  }

  private static final ActorInfo[] NONE = new ActorInfo[0];

  @Test
  void leastLoadedPicksTheLowestCpuPlusHeapAndSpreadsAManyInstanceDeploy() {
    Placements p = new Placements();
    List<NodeInfo> nodes = List.of(node("a", 0.9, 500, 0), node("b", 0.1, 100, 50), node("c", 0.5, 100, 0));
    assertEquals(Map.of("b", 1), p.plan(Placement.leastLoaded(), 1, nodes, "a", "r", (r, c) -> NONE));
    // Equal load: the node with fewer actors wins.
    List<NodeInfo> equal = List.of(node("a", 0.2, 100, 20), node("b", 0.2, 100, 0));
    assertEquals(Map.of("b", 1), p.plan(Placement.leastLoaded(), 1, equal, "a", "r", (r, c) -> NONE));
  }

  @Test
  void hardNodePlacementWithNoMatchIs503() {
    BeachException e = assertThrows(BeachException.class, () -> new Placements().plan(Placement.tag("tpu"), 1,
      List.of(node("a", 0, 0, 0, "gpu")), "a", "r", (r, c) -> NONE));
    assertEquals(ErrorCode.NO_ACTORS, e.code());
  }

  @Test
  void spreadPutsNEvenlyOverTheNodesWithTheRemainderOnTheLeastBusy() {
    Placements p = new Placements();
    List<NodeInfo> nodes = List.of(node("a", 0, 0, 5), node("b", 0, 0, 0), node("c", 0, 0, 2));
    assertEquals(Map.of("a", 2, "b", 2, "c", 2), p.plan(Placement.spread(), 6, nodes, "a", "r", (r, c) -> NONE));
    assertEquals(Map.of("a", 2, "b", 3, "c", 3), p.plan(Placement.spread(), 8, nodes, "a", "r", (r, c) -> NONE));
    assertEquals(Map.of("b", 1), p.plan(Placement.spread(), 1, nodes, "a", "r", (r, c) -> NONE));
  }
}
