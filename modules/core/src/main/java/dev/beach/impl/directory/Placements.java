package dev.beach.impl.directory;

import dev.beach.ActorInfo;
import dev.beach.BeachException;
import dev.beach.ErrorCode;
import dev.beach.NodeInfo;
import dev.beach.Placement;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/** Decides, from the live cluster view, which node each new actor lands on (DESIGN.md "Placement"). */
public final class Placements {

  private final AtomicInteger roundRobin = new AtomicInteger();

  /**
   * @param nodes   live nodes that take actors (ready), in a stable order
   * @param self    the deploying node
   * @param realm   realm of the new actors (affinity and repulsion count within it)
   * @param reach   the directory: actors reached by a category
   * @return node id → how many instances to start there
   */
  public Map<String, Integer> plan(Placement placement, int instances, List<NodeInfo> nodes, String self, String realm,
                            java.util.function.BiFunction<String, String, ActorInfo[]> reach) {
    if (nodes.isEmpty()) {
      throw new BeachException(ErrorCode.NO_ACTORS, "no node is ready to take actors (all draining or gone)");
    }
    Map<String, Integer> plan = new LinkedHashMap<>();
    switch (placement.kind()) {
      case LOCAL:
        if (nodes.stream().noneMatch(n -> n.id().equals(self))) {
          throw new BeachException(ErrorCode.NO_ACTORS, "placement local: this node (" + self + ") is draining");
        }
        plan.put(self, instances);
        return plan;
      case SPREAD: {
        // N evenly: every node gets N / nodes, and the remainder goes to the nodes with the fewest actors.
        List<NodeInfo> byLoad = new ArrayList<>(nodes);
        byLoad.sort(Comparator.comparingInt(NodeInfo::actors).thenComparing(NodeInfo::id));
        for (int i = 0; i < byLoad.size(); i++) {
          int n = instances / byLoad.size() + (i < instances % byLoad.size() ? 1 : 0);
          if (n > 0) {
            plan.put(byLoad.get(i).id(), n);
          }
        }
        return plan;
      }
      case NODE: {
        List<NodeInfo> matching = match(placement.hint(), nodes);
        if (matching.isEmpty()) {
          List<String> seen = new ArrayList<>();
          nodes.forEach(n -> seen.add(n.id() + " (host " + n.host() + ", tags " + n.tags() + ")"));
          throw new BeachException(ErrorCode.NO_ACTORS, "no node matches " + placement + "; nodes: " + seen);
        }
        for (int i = 0; i < instances; i++) {
          add(plan, matching.get(i % matching.size()).id());
        }
        return plan;
      }
      case ROUND_ROBIN:
        for (int i = 0; i < instances; i++) {
          add(plan, nodes.get(Math.floorMod(roundRobin.getAndIncrement(), nodes.size())).id());
        }
        return plan;
      case LEAST_LOADED: {
        Map<String, Integer> assigned = new HashMap<>();
        for (int i = 0; i < instances; i++) {
          NodeInfo best = nodes.stream().min(Comparator.comparingDouble(
            (NodeInfo n) -> n.load() + 0.001 * (n.actors() + assigned.getOrDefault(n.id(), 0))).thenComparing(NodeInfo::id))
            .orElseThrow();
          assigned.merge(best.id(), 1, Integer::sum);
          add(plan, best.id());
        }
        return plan;
      }
      case AFFINITY: {
        List<NodeInfo> hosting = new ArrayList<>();
        Map<String, Integer> counts = countByNode(reach.apply(realm, placement.hint()));
        for (NodeInfo n : nodes) {
          if (counts.getOrDefault(n.id(), 0) > 0) {
            hosting.add(n);
          }
        }
        List<NodeInfo> pool = hosting.isEmpty() ? nodes : hosting;
        for (int i = 0; i < instances; i++) {
          add(plan, pool.get(ThreadLocalRandom.current().nextInt(pool.size())).id());
        }
        return plan;
      }
      case REPULSION: {
        Map<String, Integer> counts = countByNode(reach.apply(realm, placement.hint()));
        for (int i = 0; i < instances; i++) {
          NodeInfo best = nodes.stream().min(Comparator.comparingInt((NodeInfo n) -> counts.getOrDefault(n.id(), 0))
            .thenComparingInt(NodeInfo::actors).thenComparing(NodeInfo::id)).orElseThrow();
          counts.merge(best.id(), 1, Integer::sum);
          add(plan, best.id());
        }
        return plan;
      }
      case RANDOM:
      default:
        for (int i = 0; i < instances; i++) {
          add(plan, nodes.get(ThreadLocalRandom.current().nextInt(nodes.size())).id());
        }
        return plan;
    }
  }

  /** {@code id:x}, {@code host:x}, {@code tag:x}, or a bare value tried as id, then host, then tag. */
  public static List<NodeInfo> match(String selector, List<NodeInfo> nodes) {
    int colon = selector.indexOf(':');
    String kind = colon > 0 ? selector.substring(0, colon) : "";
    String value = colon > 0 ? selector.substring(colon + 1) : selector;
    List<NodeInfo> out = new ArrayList<>();
    switch (kind) {
      case "id":
        nodes.stream().filter(n -> n.id().equals(value)).forEach(out::add);
        return out;
      case "host":
        nodes.stream().filter(n -> value.equals(n.host())).forEach(out::add);
        return out;
      case "tag":
        nodes.stream().filter(n -> n.tags().contains(value)).forEach(out::add);
        return out;
      default:
        out = match("id:" + selector, nodes);
        if (out.isEmpty()) {
          out = match("host:" + selector, nodes);
        }
        return out.isEmpty() ? match("tag:" + selector, nodes) : out;
    }
  }

  private static Map<String, Integer> countByNode(ActorInfo[] actors) {
    Map<String, Integer> counts = new HashMap<>();
    for (ActorInfo a : actors) {
      counts.merge(a.node(), 1, Integer::sum);
    }
    return counts;
  }

  private static void add(Map<String, Integer> plan, String node) {
    plan.merge(node, 1, Integer::sum);
  }
}
