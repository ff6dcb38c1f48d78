package dev.beach.impl.deploy;

import dev.beach.Deployment;
import dev.beach.DeploymentStatus;
import dev.beach.NodeInfo;
import dev.beach.Placement;
import dev.beach.impl.deploy.ReconcilerDecisions.Action;
import dev.beach.impl.deploy.ReconcilerDecisions.Desired;
import dev.beach.impl.deploy.ReconcilerDecisions.Result;
import dev.beach.impl.deploy.ReconcilerDecisions.Running;
import dev.beach.impl.deploy.ReconcilerDecisions.Start;
import dev.beach.impl.deploy.ReconcilerDecisions.Stop;
import dev.beach.impl.deploy.ReconcilerDecisions.World;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reconciler's decisions over a simulated membership: nodes that die, join, drain, split and merge, actors that
 * crash, exit or fail to start. Every action is applied to the simulation, as the real executor would.
 */
class ReconcilerDecisionsTest {

  /** A simulated cluster seen by one leader: nodes, the actors they run, the leader's memory. */
  static final class Sim {
    long now = 1_000_000;
    final Map<String, NodeInfo> nodes = new LinkedHashMap<>();
    final Map<String, Running> actors = new LinkedHashMap<>();
    final Map<String, Desired> deployments = new TreeMap<>();
    final Set<String> removed = new HashSet<>();
    final ReconcilerMemory memory = new ReconcilerMemory();
    final ReconcilerDecisions decisions = new ReconcilerDecisions((d, count, candidates) -> {
      Map<String, Integer> plan = new LinkedHashMap<>();
      for (int i = 0; i < count; i++) {
        plan.merge(candidates.get(i % candidates.size()).id(), 1, Integer::sum);
      }
      return plan;
    });
    /** Shared between the halves of a split, so actor ids stay unique. */
    int[] ids = {0};
    Result last;

    Sim nodes(String... ids) {
      for (String id : ids) {
        node(id, true);
      }
      return this;
    }

    Sim node(String id, boolean ready, String... tags) {
      nodes.put(id, NodeInfo.fromJson(new JsonObject().put("id", id).put("host", "h-" + id).put("ready", ready)
        .put("startedAt", 1).put("tags", new JsonArray(List.of(tags)))));
      return this;
    }

    Sim apply(Deployment d) {
      Desired before = deployments.get(d.getName());
      deployments.put(d.getName(), new Desired(d.validate(), DeploymentRecord.revision(d), before == null ? 1 : before.generation() + 1));
      return this;
    }

    Result pass() {
      List<NodeInfo> live = new ArrayList<>(nodes.values());
      last = decisions.decide(new World(live, deployments, new ArrayList<>(actors.values()), Set.of(), removed, now),
        memory);
      return last;
    }

    /** Executes the actions as the cluster would; starts on dead nodes fail. */
    void execute(Result r) {
      for (Action a : r.actions()) {
        if (a instanceof Start s) {
          if (nodes.containsKey(s.node())) {
            String id = "a" + (++ids[0]);
            actors.put(id, new Running(id, s.deployment(), s.instance(), s.revision(), s.node(), now, false));
          }
        } else {
          actors.remove(((Stop) a).actorId());
        }
      }
    }

    /** Passes and executes until nothing is left to do (time moves 10 ms per pass). */
    Sim settle() {
      for (int i = 0; i < 50; i++) {
        Result r = pass();
        if (r.actions().isEmpty()) {
          return this;
        }
        execute(r);
        now += 10;
      }
      throw new AssertionError("did not settle: " + last.actions());
    }

    void kill(String node) {
      nodes.remove(node);
      actors.values().removeIf(a -> a.node().equals(node));
    }

    /** The actor of {@code instance} stops itself or is stopped, and its node reports why. */
    void exit(String deployment, String instance, Loss loss) {
      Running r = actors.values().stream().filter(a -> a.deployment().equals(deployment) && a.instance().equals(instance))
        .findFirst().orElseThrow();
      actors.remove(r.actorId());
      memory.exited(r.actorId(), loss, loss == Loss.FAILED ? new JsonObject().put("code", 500).put("message", "boom") : null, now);
    }

    Map<String, Long> perNode(String deployment) {
      return actors.values().stream().filter(a -> a.deployment().equals(deployment))
        .collect(Collectors.groupingBy(Running::node, TreeMap::new, Collectors.counting()));
    }

    Set<String> instances(String deployment) {
      return actors.values().stream().filter(a -> a.deployment().equals(deployment)).map(Running::instance)
        .collect(Collectors.toCollection(java.util.TreeSet::new));
    }

    DeploymentStatus status(String name) {
      return pass().status().get(name);
    }

    /** This sim's view of a part of the cluster, with its own leader memory: one side of a split. */
    Sim half(String... keep) {
      Sim half = new Sim();
      half.now = now;
      half.ids = ids;
      Set<String> side = Set.of(keep);
      nodes.forEach((id, n) -> {
        if (side.contains(id)) {
          half.nodes.put(id, n);
        }
      });
      actors.forEach((id, a) -> {
        if (side.contains(a.node())) {
          half.actors.put(id, a);
        }
      });
      half.deployments.putAll(deployments);
      half.memory.known.putAll(memory.known);
      return half;
    }
  }

  private static Deployment echo(String name, int instances) {
    return Deployment.of(name, "r", "com.x.Echo", "echo").setInstances(instances);
  }

  private static List<Start> starts(Result r) {
    return r.actions().stream().filter(a -> a instanceof Start).map(a -> (Start) a).collect(Collectors.toList());
  }

  private static List<Stop> stops(Result r) {
    return r.actions().stream().filter(a -> a instanceof Stop).map(a -> (Stop) a).collect(Collectors.toList());
  }

  @Test
  void spreadPlacesNInstancesEvenlyAndBecomesAvailable() {
    Sim sim = new Sim().nodes("n1", "n2", "n3").apply(echo("web", 7).setPlacement(Placement.spread()));
    Result first = sim.pass();
    assertEquals(7, starts(first).size());
    assertEquals(DeploymentStatus.State.PROGRESSING, first.status().get("web").state());
    sim.execute(first);
    sim.settle();
    assertEquals(Map.of("n1", 3L, "n2", 2L, "n3", 2L), sim.perNode("web"));
    DeploymentStatus s = sim.status("web");
    assertEquals(DeploymentStatus.State.AVAILABLE, s.state());
    assertEquals(7, s.desired());
    assertEquals(7, s.actual());
  }

  @Test
  void aPassWithStartsUnderWayStartsNothingTwice() {
    Sim sim = new Sim().nodes("n1", "n2").apply(echo("web", 4));
    Result first = sim.pass();
    List<Running> pending = new ArrayList<>();
    for (Start s : starts(first)) {
      pending.add(new Running(null, s.deployment(), s.instance(), s.revision(), s.node(), 0, true));
    }
    Result again = sim.decisions.decide(new World(new ArrayList<>(sim.nodes.values()), sim.deployments, pending, Set.of(),
      Set.of(), sim.now), sim.memory);
    assertTrue(again.actions().isEmpty(), again.actions().toString());
    assertEquals(DeploymentStatus.State.PROGRESSING, again.status().get("web").state());
  }

  @Test
  void aDeadNodesInstancesArePlacedOnTheSurvivorsAtOnceWithoutCountingRestarts() {
    Sim sim = new Sim().nodes("n1", "n2", "n3").apply(echo("web", 6).setPlacement(Placement.spread())).settle();
    sim.kill("n3");
    Result r = sim.pass();
    assertEquals(2, starts(r).size(), r.actions().toString());
    assertTrue(starts(r).stream().noneMatch(s -> s.node().equals("n3")));
    sim.execute(r);
    sim.settle();
    assertEquals(Map.of("n1", 3L, "n2", 3L), sim.perNode("web"));
    DeploymentStatus s = sim.status("web");
    assertEquals(DeploymentStatus.State.AVAILABLE, s.state());
    assertEquals(0, s.restarts());
    // a second node goes: everything lands on the last one
    sim.kill("n2");
    sim.settle();
    assertEquals(Map.of("n1", 6L), sim.perNode("web"));
  }

  @Test
  void perNodeCoversEveryMatchingNodeIncludingOnesThatJoinLater() {
    Sim sim = new Sim().node("n1", true, "gpu").node("n2", true).node("n3", true, "gpu")
      .apply(Deployment.of("agent", "r", "com.x.Agent", "agent").setPerNode(2).setPlacement(Placement.tag("gpu")))
      .settle();
    assertEquals(Map.of("n1", 2L, "n3", 2L), sim.perNode("agent"));
    assertEquals(4, sim.status("agent").desired());
    sim.node("n4", true, "gpu");
    Result r = sim.pass();
    assertEquals(2, starts(r).size());
    assertTrue(starts(r).stream().allMatch(s -> s.node().equals("n4") && s.instance().endsWith("@n4")));
    sim.execute(r);
    sim.settle();
    // a per-node instance is never moved: its node's death just lowers the desired count
    sim.kill("n1");
    assertTrue(sim.pass().actions().isEmpty());
    assertEquals(Map.of("n3", 2L, "n4", 2L), sim.perNode("agent"));
    assertEquals(DeploymentStatus.State.AVAILABLE, sim.status("agent").state());
    assertEquals(4, sim.status("agent").desired());
  }

  @Test
  void aNodeThatIsNotReadyYetGetsItsPerNodeActorsOnceItReports() {
    Sim sim = new Sim().nodes("n1").node("n2", false)
      .apply(Deployment.of("agent", "r", "com.x.Agent", "agent").setPerNode(1)).settle();
    assertEquals(Map.of("n1", 1L), sim.perNode("agent"));
    sim.node("n2", true);
    sim.settle();
    assertEquals(Map.of("n1", 1L, "n2", 1L), sim.perNode("agent"));
  }

  @Test
  void scalingDownStopsTheExtraInstancesNewestFirst() {
    Sim sim = new Sim().nodes("n1", "n2");
    sim.apply(echo("web", 3)).settle();
    sim.now += 1000;
    sim.apply(echo("web", 6)).settle();
    sim.apply(echo("web", 2));
    Result r = sim.pass();
    List<Stop> stops = stops(r);
    assertEquals(4, stops.size());
    assertEquals(Set.of("2", "3", "4", "5"), stops.stream().map(Stop::instance).collect(Collectors.toSet()));
    List<Long> startedAt = stops.stream().map(s -> sim.actors.get(s.actorId()).startedAt()).collect(Collectors.toList());
    for (int i = 1; i < startedAt.size(); i++) {
      assertTrue(startedAt.get(i - 1) >= startedAt.get(i), "newest first: " + startedAt);
    }
    sim.execute(r);
    sim.settle();
    assertEquals(Set.of("0", "1"), sim.instances("web"));
    assertEquals(DeploymentStatus.State.AVAILABLE, sim.status("web").state());
  }

  @Test
  void aRemovedDeploymentsActorsAreAllStopped() {
    Sim sim = new Sim().nodes("n1", "n2").apply(echo("web", 4)).apply(echo("api", 1)).settle();
    sim.deployments.remove("web");
    sim.removed.add("web");
    Result r = sim.pass();
    assertEquals(4, stops(r).size());
    assertTrue(stops(r).stream().allMatch(s -> s.why().contains("removed")));
    sim.execute(r);
    assertEquals(Set.of("api"), sim.actors.values().stream().map(Running::deployment).collect(Collectors.toSet()));
    assertFalse(sim.pass().status().containsKey("web"));
  }

  @Test
  void afterASplitEachHalfHealsAndAfterTheMergeTheNewestExtrasStop() {
    Sim whole = new Sim().nodes("a", "b", "c", "d").apply(echo("web", 8).setPlacement(Placement.spread())).settle();
    Map<String, Running> before = new HashMap<>(whole.actors);
    whole.now += 5_000;
    // The network splits: {a, b} and {c, d}; each side's oldest leads it and heals its half.
    Sim left = whole.half("a", "b");
    Sim right = whole.half("c", "d");
    left.settle();
    right.settle();
    assertEquals(8, left.actors.size());
    assertEquals(8, right.actors.size());
    assertEquals(Map.of("a", 4L, "b", 4L), left.perNode("web"));
    assertEquals(Map.of("c", 4L, "d", 4L), right.perNode("web"));
    // Merge: the oldest (a) leads the whole again and sees every instance twice.
    whole.now = left.now + 1_000;
    whole.actors.clear();
    whole.actors.putAll(left.actors);
    whole.actors.putAll(right.actors);
    whole.memory.known.clear();
    whole.memory.known.putAll(left.memory.known);
    Result first = whole.pass();
    assertTrue(stops(first).isEmpty(), "duplicates get a grace period first: " + first.actions());
    assertEquals(DeploymentStatus.State.PROGRESSING, first.status().get("web").state());
    whole.now += ReconcilerDecisions.DUPLICATE_GRACE_MS;
    Result merge = whole.pass();
    assertEquals(8, stops(merge).size());
    assertTrue(starts(merge).isEmpty());
    // the ones stopped are the replacements made during the split, never an original
    for (Stop s : stops(merge)) {
      assertFalse(before.containsKey(s.actorId()), "stopped an original: " + s);
    }
    whole.execute(merge);
    whole.settle();
    assertEquals(8, whole.actors.size());
    assertEquals(Set.of("0", "1", "2", "3", "4", "5", "6", "7"), whole.instances("web"));
    assertEquals(before.keySet(), whole.actors.keySet());
    assertEquals(DeploymentStatus.State.AVAILABLE, whole.status("web").state());
  }

  @Test
  void aCrashingInstanceRestartsWithExponentialBackoffThenTheDeploymentFails() {
    Sim sim = new Sim().nodes("n1", "n2")
      .apply(echo("web", 1).setBackoffInitialMs(100).setBackoffMaxMs(1_000).setMaxRestarts(3).setWindowMs(60_000))
      .settle();
    List<Long> delays = new ArrayList<>();
    for (int crash = 1; crash <= 3; crash++) {
      sim.exit("web", "0", Loss.FAILED);
      Result r = sim.pass();
      assertTrue(starts(r).isEmpty(), "waits out the backoff");
      JsonObject restarting = r.events().stream().filter(e -> e.getString("type").equals("deployment.restarting"))
        .findFirst().orElseThrow();
      delays.add(restarting.getLong("delayMs"));
      assertEquals(DeploymentStatus.State.DEGRADED, r.status().get("web").state());
      assertEquals(sim.now + restarting.getLong("delayMs"), r.wakeAt());
      sim.now += restarting.getLong("delayMs") - 1;
      assertTrue(starts(sim.pass()).isEmpty(), "not a millisecond early");
      sim.now += 1;
      sim.settle();
      assertEquals(Set.of("0"), sim.instances("web"));
    }
    assertEquals(List.of(100L, 200L, 400L), delays);
    sim.exit("web", "0", Loss.FAILED);
    Result failed = sim.pass();
    DeploymentStatus s = failed.status().get("web");
    assertEquals(DeploymentStatus.State.FAILED, s.state());
    assertEquals("boom", s.lastError().getString("message"));
    assertTrue(failed.events().stream().anyMatch(e -> e.getString("type").equals("deployment.failed")));
    assertTrue(failed.events().stream().anyMatch(e -> e.getString("type").equals("deployment.crashloop")));
    sim.now += 60_000;
    assertTrue(sim.pass().actions().isEmpty(), "a failed deployment is not restarted");
    // applying it again is the way out
    sim.apply(echo("web", 1).setBackoffInitialMs(100).setMaxRestarts(3));
    sim.settle();
    assertEquals(DeploymentStatus.State.AVAILABLE, sim.status("web").state());
  }

  @Test
  void crashesOutsideTheWindowDoNotAddUp() {
    Sim sim = new Sim().nodes("n1").apply(echo("web", 1).setBackoffInitialMs(100).setMaxRestarts(1).setWindowMs(1_000))
      .settle();
    for (int i = 0; i < 5; i++) {
      sim.exit("web", "0", Loss.FAILED);
      sim.pass();
      sim.now += 2_000;
      sim.settle();
    }
    assertEquals(DeploymentStatus.State.AVAILABLE, sim.status("web").state());
  }

  @Test
  void aFailedStartCountsLikeACrash() {
    Sim sim = new Sim().nodes("n1").apply(echo("web", 1).setBackoffInitialMs(50).setMaxRestarts(1));
    Result r = sim.pass();
    assertEquals(1, starts(r).size());
    Desired desired = sim.deployments.get("web");
    JsonObject error = new JsonObject().put("code", 404).put("message", "no class com.x.Echo");
    List<JsonObject> events = sim.decisions.startFailed(sim.memory, desired, "0", error, sim.now);
    assertEquals(50L, events.get(0).getLong("delayMs"));
    assertTrue(starts(sim.pass()).isEmpty());
    sim.now += 50;
    assertEquals(1, starts(sim.pass()).size());
    sim.decisions.startFailed(sim.memory, desired, "0", error, sim.now);
    DeploymentStatus s = sim.status("web");
    assertEquals(DeploymentStatus.State.FAILED, s.state());
    assertEquals("no class com.x.Echo", s.lastError().getString("message"));
  }

  @Test
  void restartPolicyDecidesWhatIsReplaced() {
    // always: a stop by hand is replaced at once, a clean exit after a backoff
    Sim always = new Sim().nodes("n1").apply(echo("web", 2)).settle();
    always.exit("web", "0", Loss.STOPPED);
    assertEquals(1, starts(always.pass()).size());
    always.settle();
    always.exit("web", "1", Loss.EXITED);
    assertTrue(starts(always.pass()).isEmpty());
    always.now += Deployment.DEFAULT_BACKOFF_INITIAL_MS;
    assertEquals(1, starts(always.pass()).size());

    // on-failure: a clean exit and a stop by hand stay down; a crash and a node's death are replaced
    Sim onFailure = new Sim().nodes("n1", "n2").apply(echo("web", 4).setPlacement(Placement.spread())
      .setRestart(Deployment.Restart.ON_FAILURE)).settle();
    onFailure.exit("web", "0", Loss.EXITED);
    onFailure.exit("web", "1", Loss.STOPPED);
    Result r = onFailure.pass();
    assertTrue(starts(r).isEmpty());
    assertEquals(DeploymentStatus.State.DEGRADED, r.status().get("web").state());
    assertTrue(r.status().get("web").message().contains("on-failure"), r.status().get("web").message());
    onFailure.kill("n2");
    onFailure.settle();
    assertEquals(2, onFailure.actors.size());
    assertEquals(2, onFailure.status("web").actual());

    // never: nothing comes back, not even after a node's death
    Sim never = new Sim().nodes("n1", "n2").apply(echo("web", 2).setPlacement(Placement.spread())
      .setRestart(Deployment.Restart.NEVER)).settle();
    never.kill("n2");
    never.exit("web", never.instances("web").iterator().next(), Loss.FAILED);
    assertTrue(never.pass().actions().isEmpty());
    assertEquals(DeploymentStatus.State.DEGRADED, never.status("web").state());
  }

  @Test
  void anActorThatVanishesFromALiveNodeWithoutAReportCountsAsAFailure() {
    Sim sim = new Sim().nodes("n1").apply(echo("web", 1)).settle();
    sim.actors.clear();
    Result r = sim.pass();
    assertTrue(starts(r).isEmpty());
    assertEquals(1, r.status().get("web").restarts());
    assertTrue(r.status().get("web").lastError().getString("message").contains("without saying why"));
  }

  @Test
  void drainingMovesInstancesMakeBeforeBreak() {
    Sim sim = new Sim().nodes("n1", "n2", "n3").apply(echo("web", 3).setPlacement(Placement.spread())).settle();
    String onN3 = sim.actors.values().stream().filter(a -> a.node().equals("n3")).findFirst().orElseThrow().actorId();
    sim.node("n3", false);
    Result r = sim.pass();
    assertEquals(1, starts(r).size());
    assertTrue(stops(r).isEmpty(), "the old actor stays until the new one runs");
    assertFalse(starts(r).get(0).node().equals("n3"));
    sim.execute(r);
    Result r2 = sim.pass();
    assertEquals(List.of(onN3), stops(r2).stream().map(Stop::actorId).collect(Collectors.toList()));
    sim.execute(r2);
    assertEquals(DeploymentStatus.State.AVAILABLE, sim.status("web").state());
    assertEquals(0, sim.status("web").restarts());
  }

  @Test
  void aNewRevisionRollsTheInstancesAFewAtATime() {
    Sim sim = new Sim().nodes("n1", "n2").apply(echo("web", 8)).settle();
    Set<String> old = new HashSet<>(sim.actors.keySet());
    sim.apply(echo("web", 8).setParams(new JsonObject().put("v", 2)));
    Result r = sim.pass();
    assertEquals(2, starts(r).size(), "a quarter of 8 at a time");
    assertTrue(stops(r).isEmpty());
    int passes = 0;
    while (!sim.pass().actions().isEmpty() && passes++ < 50) {
      sim.execute(sim.last);
      assertTrue(sim.actors.size() >= 8, "never below the desired count");
    }
    assertEquals(8, sim.actors.size());
    assertTrue(sim.actors.keySet().stream().noneMatch(old::contains));
    assertEquals(DeploymentStatus.State.AVAILABLE, sim.status("web").state());
  }

  @Test
  void aBriefDuplicateIsLeftAloneAndALastingOneStopped() {
    Sim sim = new Sim().nodes("n1", "n2").apply(echo("web", 1)).settle();
    Running only = sim.actors.values().iterator().next();
    sim.now += 100;
    sim.actors.put("dup", new Running("dup", "web", "0", only.revision(), "n2", sim.now, false));
    assertTrue(sim.pass().actions().isEmpty());
    sim.now += ReconcilerDecisions.DUPLICATE_GRACE_MS - 1;
    assertTrue(sim.pass().actions().isEmpty());
    sim.now += 1;
    assertEquals(List.of("dup"), stops(sim.pass()).stream().map(Stop::actorId).collect(Collectors.toList()));
  }

  @Test
  void noMatchingNodeIsDegradedAndSaysWhy() {
    Sim sim = new Sim().nodes("n1").apply(echo("web", 2).setPlacement(Placement.tag("gpu")));
    Result r = sim.pass();
    assertTrue(r.actions().isEmpty());
    DeploymentStatus s = r.status().get("web");
    assertEquals(DeploymentStatus.State.DEGRADED, s.state());
    assertTrue(s.message().contains("node(tag:gpu)"), s.message());
    sim.node("n2", true, "gpu");
    sim.settle();
    assertEquals(Map.of("n2", 2L), sim.perNode("web"));
  }

  @Test
  void aNewLeaderPlacesWhatIsMissingAtOnceButKeepsAFailedDeploymentFailed() {
    Sim sim = new Sim().nodes("n1").apply(echo("web", 2).setMaxRestarts(0)).settle();
    sim.exit("web", "0", Loss.FAILED);
    assertEquals(DeploymentStatus.State.FAILED, sim.status("web").state());
    JsonObject saved = sim.memory.books.get("web").toJson();
    Sim next = new Sim().nodes("n1");
    next.deployments.putAll(sim.deployments);
    next.actors.putAll(sim.actors);
    next.memory.books.put("web", RestartBook.fromJson(saved));
    assertTrue(next.pass().actions().isEmpty());
    assertEquals(DeploymentStatus.State.FAILED, next.status("web").state());
    // without a saved book, the new leader just places the missing instance
    Sim fresh = new Sim().nodes("n1");
    fresh.deployments.putAll(sim.deployments);
    fresh.actors.putAll(sim.actors);
    assertEquals(1, starts(fresh.pass()).size());
  }

  @Test
  void backoffDoublesUpToTheMax() {
    Deployment d = echo("x", 1).setBackoffInitialMs(100).setBackoffMaxMs(500);
    assertEquals(List.of(100L, 200L, 400L, 500L, 500L),
      List.of(1, 2, 3, 4, 5).stream().map(n -> RestartBook.backoff(d, n)).collect(Collectors.toList()));
    assertNotNull(Loss.of(dev.beach.impl.hosting.ExitListener.Reason.FAILED));
  }

  @Test
  void actorsOfADeploymentTheLeaderDoesNotKnowAreLeftAloneForAGraceThenStopped() {
    Sim sim = new Sim().nodes("n1", "n2").apply(echo("web", 2)).settle();
    Desired web = sim.deployments.remove("web");
    Result r = sim.pass();
    assertTrue(r.actions().isEmpty(), "not removed, just unknown: maybe lost and on its way back");
    assertEquals(sim.now + ReconcilerDecisions.ORPHAN_GRACE_MS, r.wakeAt());
    // it comes back (a node put it back into the map): nothing was stopped, nothing restarts
    sim.now += 5_000;
    sim.deployments.put("web", web);
    assertTrue(sim.pass().actions().isEmpty());
    sim.now += 10_000;
    sim.deployments.remove("web");
    assertTrue(sim.pass().actions().isEmpty(), "the grace starts again");
    sim.now += 6_000;
    assertTrue(sim.pass().actions().isEmpty());
    sim.now += ReconcilerDecisions.ORPHAN_GRACE_MS - 6_000;
    assertEquals(2, stops(sim.pass()).size());
  }
}
