package dev.beach.impl.deploy;

import dev.beach.ActorInfo;
import dev.beach.Deployment;
import dev.beach.DeploymentStatus;
import dev.beach.NodeInfo;
import dev.beach.Placement;
import dev.beach.impl.directory.Placements;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The reconciler's decision, a pure function: from the desired deployments, the live nodes, the supervised actors
 * they run and the leader's {@link ReconcilerMemory}, the actions that move the cluster towards the desired state
 * ({@link Start} an instance on a node, {@link Stop} an actor), each deployment's status and the events to publish.
 * No I/O and no clock of its own, so every case is a unit test over a simulated membership; {@link Reconciler}
 * executes what it returns.
 * <p>
 * Instances: a deployment of {@code instances: N} has keys {@code 0..N-1}; one of {@code perNode: k} has keys
 * {@code i@<node>} ({@code i < k}) for every ready node it matches. Each key should have exactly one running actor of
 * the current revision on a ready node. A key without one is started (once its backoff is over, unless its policy
 * retired it or the deployment failed); a key with several keeps the best (current revision, on a ready node, oldest)
 * and stops the others: at once when they are outdated or on a draining node and the keeper runs, after
 * {@link #DUPLICATE_GRACE_MS} otherwise (after a merge, the newest go first); a key the deployment no longer has is
 * stopped, newest first. A key whose actors are all outdated, or all on draining nodes, gets a new actor first and
 * loses the old ones once it runs: make before break, so no request fails for it.
 */
public final class ReconcilerDecisions {

  /** Two actors of one key, both current and on ready nodes, are left alone this long (a rolling restart's overlap). */
  static final long DUPLICATE_GRACE_MS = 2_000;
  /**
   * Actors of a deployment the leader does not know, and did not see removed, are left alone this long: the record
   * may be on its way back (the map lost it and a node puts it back), and stopping a whole deployment by mistake is
   * the worst thing a reconciler can do.
   */
  static final long ORPHAN_GRACE_MS = 15_000;

  /** The desired state of one deployment: its record, revision (a hash of what its actors run) and generation. */
  public record Desired(Deployment deployment, String revision, long generation) {
  }

  /**
   * A supervised actor: running (from the directory) or being started ({@code pending}: asked for, not yet listed;
   * its {@code actorId} is null until the start answered).
   */
  public record Running(String actorId, String deployment, String instance, String revision, String node,
                        long startedAt, boolean pending) {

    static Running of(ActorInfo a) {
      return new Running(a.id(), a.deployment(), a.instance(), a.revision(), a.node(), a.startedAt(), false);
    }
  }

  /**
   * @param nodes       the live nodes, oldest first, with their latest statistics ({@link NodeInfo#ready()} false
   *                    while draining or not yet reporting)
   * @param deployments desired state by name
   * @param actors      supervised actors, running and pending
   * @param stopping    actor ids with a stop under way
   * @param removed     deployments known to be removed (their actors stop at once; others' only after a grace)
   * @param now         the leader's clock
   */
  public record World(List<NodeInfo> nodes, Map<String, Desired> deployments, List<Running> actors,
                      Set<String> stopping, Set<String> removed, long now) {
  }

  /** What to do. */
  public sealed interface Action permits Start, Stop {
    /** Identifies the action: executing it twice has the effect of executing it once. */
    String id();
  }

  /** Start {@code instance} of {@code deployment} at {@code revision} on {@code node}. */
  public record Start(String deployment, String instance, String revision, String node) implements Action {
    @Override
    public String id() {
      return "start:" + deployment + "/" + instance + "/" + revision + "@" + node;
    }
  }

  /** Stop actor {@code actorId} on {@code node} (without failing its requests), for {@code why}. */
  public record Stop(String actorId, String node, String deployment, String instance, String why) implements Action {
    @Override
    public String id() {
      return "stop:" + actorId;
    }
  }

  /**
   * @param wakeAt when to look again at the latest (a backoff or a grace period ends), or {@link Long#MAX_VALUE}
   */
  public record Result(List<Action> actions, Map<String, DeploymentStatus> status, List<JsonObject> events, long wakeAt) {
  }

  /** Chooses nodes for new instances of strategies that are not deterministic (random, least-loaded, ...). */
  @FunctionalInterface
  public interface Placer {
    /** @return node id → how many of {@code count} new instances go there */
    Map<String, Integer> place(Deployment d, int count, List<NodeInfo> candidates);
  }

  private final Placer placer;

  public ReconcilerDecisions(Placer placer) {
    this.placer = placer;
  }

  /** A placer over {@link Placements}, with affinity and repulsion counted in {@code reach} (the directory). */
  public static Placer placements(String self, java.util.function.BiFunction<String, String, ActorInfo[]> reach) {
    Placements placements = new Placements();
    return (d, count, candidates) -> placements.plan(d.getPlacement(), count, candidates, self, d.getRealm(), reach);
  }

  public Result decide(World world, ReconcilerMemory memory) {
    long now = world.now();
    Map<String, NodeInfo> live = new LinkedHashMap<>();
    world.nodes().forEach(n -> live.put(n.id(), n));
    List<Action> actions = new ArrayList<>();
    List<JsonObject> events = new ArrayList<>();
    Map<String, DeploymentStatus> status = new TreeMap<>();
    long[] wakeAt = {Long.MAX_VALUE};

    // Actors by deployment and key; a stop under way counts as done.
    Map<String, Map<String, List<Running>>> byDeployment = new HashMap<>();
    Map<String, Running> current = new HashMap<>();
    for (Running r : world.actors()) {
      if (r.actorId() != null && world.stopping().contains(r.actorId())) {
        continue;
      }
      if (r.actorId() != null) {
        current.put(r.actorId(), r); // a start that answered counts: it is noticed if it vanishes before it is listed
      }
      byDeployment.computeIfAbsent(r.deployment(), k -> new HashMap<>())
        .computeIfAbsent(r.instance(), k -> new ArrayList<>()).add(r);
    }
    // Actors seen last time and gone now, by deployment and key: the losses the restart policy is applied to.
    Map<String, Map<String, Running>> vanished = new HashMap<>();
    for (Running was : memory.known.values()) {
      if (!current.containsKey(was.actorId()) && !world.stopping().contains(was.actorId())
        && !memory.ownStops.remove(was.actorId())) {
        vanished.computeIfAbsent(was.deployment(), k -> new HashMap<>()).putIfAbsent(was.instance(), was);
      }
    }
    memory.known.clear();
    memory.known.putAll(current);
    memory.ownStops.retainAll(world.stopping());
    memory.duplicateSince.keySet().retainAll(current.keySet());

    // Actors of deployments that no longer exist: at once when removed, after a grace when merely unknown.
    long[] orphanWake = {Long.MAX_VALUE};
    for (Map.Entry<String, Map<String, List<Running>>> e : byDeployment.entrySet()) {
      if (world.deployments().containsKey(e.getKey())) {
        continue;
      }
      if (world.removed().contains(e.getKey())) {
        stopAll(e.getValue().values(), "deployment removed", actions, memory);
        continue;
      }
      List<List<Running>> due = new ArrayList<>();
      for (List<Running> list : e.getValue().values()) {
        List<Running> old = new ArrayList<>();
        for (Running r : list) {
          if (r.actorId() != null) {
            long since = memory.orphanSince.computeIfAbsent(r.actorId(), k -> now);
            if (now - since >= ORPHAN_GRACE_MS) {
              old.add(r);
            } else {
              orphanWake[0] = Math.min(orphanWake[0], since + ORPHAN_GRACE_MS);
            }
          }
        }
        due.add(old);
      }
      stopAll(due, "deployment unknown for " + ORPHAN_GRACE_MS / 1000 + " s", actions, memory);
    }
    // an actor whose deployment is known (again) is no orphan: its grace starts afresh if it goes unknown later
    memory.orphanSince.keySet().removeIf(id -> current.get(id) == null
      || world.deployments().containsKey(current.get(id).deployment()));
    wakeAt[0] = orphanWake[0];
    memory.forgetAllBut(world.deployments().keySet());

    for (Desired desired : world.deployments().values()) {
      Deployment d = desired.deployment();
      RestartBook book = memory.book(d.getName(), desired.generation());
      Map<String, List<Running>> keys = byDeployment.getOrDefault(d.getName(), Map.of());
      Plan plan = new Plan(d, desired.revision(), book, live, now);
      plan.wanted(keys);

      // Losses first: they decide whether a missing key may start now.
      for (Map.Entry<String, Running> loss : vanished.getOrDefault(d.getName(), Map.of()).entrySet()) {
        if (!keys.containsKey(loss.getKey()) && plan.desired.contains(loss.getKey())) {
          plan.lost(loss.getValue(), memory, events);
        }
      }
      plan.keys(keys, memory, actions);
      plan.place(actions);
      DeploymentStatus s = plan.status(keys, world.stopping());
      status.put(d.getName(), s);
      DeploymentStatus.State before = memory.states.put(d.getName(), s.state());
      if (before != s.state()) {
        events.add(event("deployment." + s.state().text(), d.getName()).put("desired", s.desired())
          .put("actual", s.actual()).put("restarts", s.restarts()).put("lastError", s.lastError())
          .put("message", s.message()));
      }
      wakeAt[0] = Math.min(wakeAt[0], plan.wakeAt);
    }
    return new Result(actions, status, events, wakeAt[0]);
  }

  /**
   * Applies the policy to a failed start of {@code instance} (the class is missing, its start threw): counts a
   * restart and sets a backoff, or retires the instance, or fails the deployment. Returns the events to publish.
   */
  List<JsonObject> startFailed(ReconcilerMemory memory, Desired desired, String instance, JsonObject error, long now) {
    Deployment d = desired.deployment();
    Plan plan = new Plan(d, desired.revision(), memory.book(d.getName(), desired.generation()), Map.of(), now);
    List<JsonObject> events = new ArrayList<>();
    plan.record(instance, Loss.START_FAILED, error, events);
    return events;
  }

  private static void stopAll(Iterable<List<Running>> groups, String why, List<Action> actions, ReconcilerMemory memory) {
    List<Running> all = new ArrayList<>();
    groups.forEach(all::addAll);
    all.sort(NEWEST_FIRST);
    for (Running r : all) {
      if (r.actorId() != null && !r.pending()) {
        actions.add(new Stop(r.actorId(), r.node(), r.deployment(), r.instance(), why));
        memory.ownStops.add(r.actorId());
      }
    }
  }

  private static final Comparator<Running> NEWEST_FIRST = Comparator.comparingLong(Running::startedAt).reversed()
    .thenComparing(Running::actorId, Comparator.nullsLast(Comparator.reverseOrder()));

  static JsonObject event(String type, String deployment) {
    return new JsonObject().put("type", type).put("name", deployment);
  }

  /** One deployment's pass. */
  private final class Plan {
    final Deployment d;
    final String revision;
    final RestartBook book;
    final Map<String, NodeInfo> live;
    final long now;
    /** The keys the deployment has now, in order. */
    final Set<String> desired = new java.util.LinkedHashSet<>();
    /** Keys on nodes that drain or do not report yet: their actors stay, nothing starts there. */
    final Set<String> kept = new HashSet<>();
    final List<String> toStart = new ArrayList<>();
    final List<String> waiting = new ArrayList<>();
    String blocked;
    long wakeAt = Long.MAX_VALUE;
    int starting;
    boolean outdated;
    boolean extras;

    Plan(Deployment d, String revision, RestartBook book, Map<String, NodeInfo> live, long now) {
      this.d = d;
      this.revision = revision;
      this.book = book;
      this.live = live;
      this.now = now;
    }

    /** Fills {@link #desired} and {@link #kept}. */
    void wanted(Map<String, List<Running>> keys) {
      if (!d.isPerNode()) {
        for (int i = 0; i < d.instances(); i++) {
          desired.add(Integer.toString(i));
        }
        return;
      }
      for (NodeInfo n : matching(new ArrayList<>(live.values()))) {
        for (int i = 0; i < d.getPerNode(); i++) {
          String key = i + "@" + n.id();
          if (n.ready()) {
            desired.add(key);
          } else if (keys.containsKey(key)) {
            kept.add(key);
          }
        }
      }
    }

    List<NodeInfo> matching(List<NodeInfo> nodes) {
      return d.getPlacement().kind() == Placement.Kind.NODE ? Placements.match(d.getPlacement().hint(), nodes) : nodes;
    }

    void lost(Running was, ReconcilerMemory memory, List<JsonObject> events) {
      ReconcilerMemory.Exit exit = memory.exits.remove(was.actorId());
      Loss loss = exit != null ? exit.loss() : !live.containsKey(was.node()) ? Loss.NODE_LOST : Loss.FAILED;
      JsonObject error = exit != null ? exit.error() : loss == Loss.FAILED
        ? new JsonObject().put("code", 500).put("message", "actor " + was.actorId() + " vanished from node " + was.node()
        + " without saying why") : null;
      record(was.instance(), loss, error, events);
    }

    /** Applies the policy to a loss of {@code instance}; start failures come here too (through the reconciler). */
    void record(String instance, Loss loss, JsonObject error, List<JsonObject> events) {
      boolean wasFailed = book.failed();
      long delay = book.lost(d, instance, loss, error, now);
      if (delay > 0) {
        events.add(event("deployment.restarting", d.getName()).put("instance", instance).put("reason", loss.text())
          .put("delayMs", delay).put("restarts", book.restarts(d, now)).put("error", error));
      }
      if (book.failed() && !wasFailed) {
        events.add(event("deployment.crashloop", d.getName()).put("instance", instance).put("reason", loss.text())
          .put("restarts", book.restarts(d, now)).put("lastError", book.lastError()));
      }
    }

    /** Sorts every key: what to start, what waits, what to stop. */
    void keys(Map<String, List<Running>> keys, ReconcilerMemory memory, List<Action> actions) {
      for (List<Running> list : keys.values()) {
        for (Running r : list) {
          onNode.merge(r.node(), 1, Integer::sum);
        }
      }
      int surge = Math.max(1, desired.size() / 4);
      int rolling = 0;
      List<Running> extra = new ArrayList<>();
      for (Map.Entry<String, List<Running>> e : keys.entrySet()) {
        if (!desired.contains(e.getKey()) && !kept.contains(e.getKey())) {
          extra.addAll(e.getValue());
        }
      }
      for (String key : desired) {
        List<Running> actors = keys.getOrDefault(key, List.of());
        if (actors.isEmpty()) {
          missing(key);
          continue;
        }
        book.started(key);
        List<Running> sorted = new ArrayList<>(actors);
        sorted.sort(Comparator.comparing((Running r) -> !r.revision().equals(revision))
          .thenComparing(r -> !ready(r.node()))
          .thenComparing(Running::pending)
          .thenComparingLong(Running::startedAt)
          .thenComparing(Running::actorId, Comparator.nullsLast(Comparator.naturalOrder())));
        Running keeper = sorted.get(0);
        if (keeper.pending()) {
          starting++;
        }
        boolean keeperGood = keeper.revision().equals(revision) && ready(keeper.node());
        if (!keeperGood && !keeper.pending()) {
          boolean moving = !ready(keeper.node());
          if (moving && d.isPerNode()) {
            continue; // a per-node actor goes with its node
          }
          if (!keeper.revision().equals(revision)) {
            outdated = true;
            if (rolling++ >= surge) {
              continue;
            }
          }
          if (!book.failed()) {
            toStart.add(key); // make before break: the old one stops once the new one runs
          }
          continue;
        }
        for (Running r : sorted.subList(1, sorted.size())) {
          if (r.pending() || r.actorId() == null) {
            continue;
          }
          extras = true;
          if (keeper.pending()) {
            if (!r.revision().equals(revision)) {
              rolling++;
            }
            continue; // the keeper does not run yet
          }
          boolean staleOrMoving = !r.revision().equals(revision) || !ready(r.node());
          long since = memory.duplicateSince.computeIfAbsent(r.actorId(), k -> now);
          if (staleOrMoving || now - since >= DUPLICATE_GRACE_MS) {
            extra.add(r);
          } else {
            wakeAt = Math.min(wakeAt, since + DUPLICATE_GRACE_MS);
          }
        }
      }
      extra.sort(NEWEST_FIRST);
      for (Running r : extra) {
        if (r.actorId() != null && !r.pending()) {
          extras = true;
          actions.add(new Stop(r.actorId(), r.node(), d.getName(), r.instance(),
            desired.contains(r.instance()) ? "duplicate of instance " + r.instance() : "not desired"));
          memory.ownStops.add(r.actorId());
          memory.duplicateSince.remove(r.actorId());
        }
      }
    }

    private void missing(String key) {
      if (book.failed()) {
        waiting.add(key);
        blocked = "failed: crash loop (more than " + d.getMaxRestarts() + " restarts in " + d.getWindowMs() + " ms)";
      } else if (book.retired(key)) {
        waiting.add(key);
        if (blocked == null) {
          blocked = "instances not replaced under restart " + d.getRestart().text();
        }
      } else if (book.notBefore(key) > now) {
        waiting.add(key);
        wakeAt = Math.min(wakeAt, book.notBefore(key));
        blocked = "restarting after a backoff";
      } else {
        toStart.add(key);
      }
    }

    boolean ready(String node) {
      NodeInfo n = live.get(node);
      return n != null && n.ready();
    }

    /** Chooses a node for every key in {@link #toStart}. */
    void place(List<Action> actions) {
      if (toStart.isEmpty()) {
        return;
      }
      if (d.isPerNode()) {
        for (String key : toStart) {
          actions.add(new Start(d.getName(), key, revision, key.substring(key.indexOf('@') + 1)));
          starting++;
        }
        return;
      }
      List<NodeInfo> candidates = new ArrayList<>();
      for (NodeInfo n : matching(new ArrayList<>(live.values()))) {
        if (n.ready()) {
          candidates.add(n);
        }
      }
      if (candidates.isEmpty()) {
        blocked = "no ready node matches " + d.getPlacement();
        waiting.addAll(toStart);
        return;
      }
      List<String> nodes = new ArrayList<>();
      Placement.Kind kind = d.getPlacement().kind();
      if (kind == Placement.Kind.SPREAD || kind == Placement.Kind.NODE) {
        // Evenly: each new instance goes to the candidate with the fewest of this deployment's actors.
        Map<String, Integer> count = new HashMap<>();
        candidates.forEach(n -> count.put(n.id(), 0));
        for (NodeInfo n : candidates) {
          count.put(n.id(), countOn(n.id()));
        }
        for (int i = 0; i < toStart.size(); i++) {
          NodeInfo best = candidates.stream().min(Comparator.comparingInt((NodeInfo n) -> count.get(n.id()))
            .thenComparingInt(NodeInfo::actors).thenComparing(NodeInfo::id)).orElseThrow();
          count.merge(best.id(), 1, Integer::sum);
          nodes.add(best.id());
        }
      } else {
        try {
          placer.place(d, toStart.size(), candidates).forEach((node, n) -> {
            for (int i = 0; i < n; i++) {
              nodes.add(node);
            }
          });
        } catch (RuntimeException e) {
          blocked = "cannot place: " + e.getMessage();
          waiting.addAll(toStart);
          return;
        }
      }
      for (int i = 0; i < toStart.size() && i < nodes.size(); i++) {
        actions.add(new Start(d.getName(), toStart.get(i), revision, nodes.get(i)));
        starting++;
      }
    }

    /** Actors of this deployment (running or starting) by node. */
    final Map<String, Integer> onNode = new HashMap<>();

    private int countOn(String node) {
      return onNode.getOrDefault(node, 0);
    }

    DeploymentStatus status(Map<String, List<Running>> keys, Set<String> stopping) {
      Map<String, Integer> running = new TreeMap<>();
      int actual = 0;
      for (String key : desired) {
        boolean up = false;
        for (Running r : keys.getOrDefault(key, List.of())) {
          if (!r.pending()) {
            up = true;
          }
        }
        if (up) {
          actual++;
        }
      }
      for (List<Running> list : keys.values()) {
        for (Running r : list) {
          if (!r.pending() && r.actorId() != null && !stopping.contains(r.actorId())) {
            running.merge(r.node(), 1, Integer::sum);
          }
        }
      }
      DeploymentStatus.State state;
      String message = null;
      if (book.failed()) {
        state = DeploymentStatus.State.FAILED;
        message = "crash loop: more than " + d.getMaxRestarts() + " restarts within " + d.getWindowMs()
          + " ms; apply the deployment again to retry";
      } else if (actual == desired.size() && starting == 0 && !outdated && !extras && waiting.isEmpty()) {
        state = DeploymentStatus.State.AVAILABLE;
      } else if (!waiting.isEmpty() && starting == 0) {
        state = DeploymentStatus.State.DEGRADED;
        message = waiting.size() + " instance(s) not running: " + blocked;
      } else {
        state = DeploymentStatus.State.PROGRESSING;
        if (!waiting.isEmpty()) {
          message = waiting.size() + " instance(s) waiting: " + blocked;
        }
      }
      return new DeploymentStatus(d.getName(), d.toJson(false), desired.size(), actual, running, state,
        book.restarts(d, now), book.lastError(), message, now);
    }
  }
}
