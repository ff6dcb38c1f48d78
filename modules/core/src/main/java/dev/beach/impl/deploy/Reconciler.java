package dev.beach.impl.deploy;

import dev.beach.ActorInfo;
import dev.beach.Address;
import dev.beach.BeachException;
import dev.beach.DeploymentStatus;
import dev.beach.ErrorCode;
import dev.beach.NodeInfo;
import dev.beach.control.NodeService;
import dev.beach.impl.cluster.ClusterView;
import dev.beach.impl.deploy.ReconcilerDecisions.Action;
import dev.beach.impl.deploy.ReconcilerDecisions.Desired;
import dev.beach.impl.deploy.ReconcilerDecisions.Running;
import dev.beach.impl.deploy.ReconcilerDecisions.Start;
import dev.beach.impl.deploy.ReconcilerDecisions.Stop;
import dev.beach.impl.directory.Directory;
import dev.beach.impl.hosting.ExitListener;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Keeps the cluster at its desired state. Every node runs one; only the leader acts: the oldest member in
 * Hazelcast's view, which every node computes alike. A pass reads the deployments (cache), the live nodes, the
 * directory and what is under way, asks {@link ReconcilerDecisions} what to do, and executes it through the control
 * plane, each action stamped with the view it was decided on. A pass runs when something happens (a node leaves or
 * joins, an actor stops, a deployment changes, a start answers) and every {@code periodMs} for anything missed.
 * Passes never overlap: one asked for while another runs follows it.
 * <p>
 * Fencing: before each action the leader checks that the view is still the one it decided on, and the receiving
 * node refuses (409) an action stamped with a view or leader it does not share ({@code NodeService.startInstance}),
 * so a leader that lost its place (a departure it has not heard of, the minority's oldest after a merge) never acts
 * on a stale view. A refused or undelivered action is not the actor's fault: it is tried again on a later pass,
 * without counting a restart.
 */
public final class Reconciler {

  private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);
  /** How long a start that answered may take to show in the directory before it counts as vanished. */
  private static final long LISTING_GRACE_MS = 5_000;
  /** How long a stop may stay unconfirmed before it is tried again. */
  private static final long STOP_GRACE_MS = 15_000;
  /** How soon to look again after an action was refused or not delivered. */
  private static final long RETRY_MS = 100;
  private static final long QUIET_MS = 100;
  /** How often to look while starts or stops are not yet confirmed by the directory. */
  private static final long CONFIRM_MS = 100;

  private final Vertx vertx;
  private final ContextInternal context;
  private final String selfId;
  private final DeploymentStore store;
  private final StatusBoard board;
  private final Directory directory;
  private final Supplier<List<JsonObject>> nodeStats;
  private final Supplier<ClusterView> views;
  private final Function<String, NodeService> control;
  private final DeploymentEvents events;
  private final ReconcilerDecisions decisions;
  private final long periodMs;
  private final long drainTimeoutMs;

  private ReconcilerMemory memory;
  private boolean leading;
  private boolean running;
  private boolean again;
  private boolean stopped;
  private long periodic = -1;
  private long wake = -1;
  private long wakeAt = Long.MAX_VALUE;
  private MessageConsumer<JsonObject> consumer;
  /** Starts asked for and not yet in the directory, by action id. */
  private final Map<String, Pending> pending = new LinkedHashMap<>();
  /** Stops asked for, by actor id → when. */
  private final Map<String, Long> stopping = new HashMap<>();
  /** Nodes that said they drain (their statistics say so too, a moment later). */
  private final Set<String> draining = new HashSet<>();
  /**
   * Exit reports not yet in the memory. Filled from any thread, before the directory forgets the actor, and drained
   * at the start of a pass, before the directory is read: a pass that misses an actor knows why it went.
   */
  private final java.util.Queue<Reported> exits = new java.util.concurrent.ConcurrentLinkedQueue<>();
  private record Reported(String actorId, Loss loss, JsonObject error) {
  }

  /** Nodes that announced themselves before their first statistics arrived. */
  private final Map<String, JsonObject> joined = new HashMap<>();

  private static final class Pending {
    final Start start;
    final long since;
    String actorId;
    long answeredAt;

    Pending(Start start, long since) {
      this.start = start;
      this.since = since;
    }
  }

  /**
   * @param nodeStats      the live nodes' latest statistics
   * @param views          Hazelcast's member list now, oldest first, with its version
   * @param control        the control plane of a node
   * @param placer         chooses nodes for strategies that are not deterministic
   * @param periodMs       how often to look without being told
   * @param drainTimeoutMs how long a retired actor may take to answer what it holds
   */
  Reconciler(Vertx vertx, ContextInternal context, String selfId, DeploymentStore store, StatusBoard board,
             Directory directory, Supplier<List<JsonObject>> nodeStats, Supplier<ClusterView> views,
             Function<String, NodeService> control, DeploymentEvents events, ReconcilerDecisions.Placer placer,
             long periodMs, long drainTimeoutMs) {
    this.vertx = vertx;
    this.context = context;
    this.selfId = selfId;
    this.store = store;
    this.board = board;
    this.directory = directory;
    this.nodeStats = nodeStats;
    this.views = views;
    this.control = control;
    this.events = events;
    this.decisions = new ReconcilerDecisions(placer);
    this.periodMs = periodMs;
    this.drainTimeoutMs = drainTimeoutMs;
  }

  Future<Void> start() {
    store.onChange(this::poke);
    io.vertx.core.Promise<Void> registered = io.vertx.core.Promise.promise();
    context.runOnContext(v -> {
      consumer = vertx.eventBus().consumer(Address.EVENTS, this::onEvent);
      consumer.completion().onComplete(registered);
      periodic = vertx.setPeriodic(periodMs, t -> poke());
      poke();
    });
    return registered.future();
  }

  Future<Void> stop() {
    stopped = true;
    vertx.cancelTimer(periodic);
    vertx.cancelTimer(wake);
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  /** Asks for a pass soon (on the node's context); several asks before it runs make one pass. */
  public void poke() {
    context.runOnContext(v -> pass());
  }

  /** A node left the view: its actors are gone from the directory already; re-place them now. */
  public void nodeLeft(String nodeId) {
    context.runOnContext(v -> {
      draining.remove(nodeId);
      joined.remove(nodeId);
      pass();
    });
  }

  /** A local supervised actor stopped (told before the directory forgets it); the leader hears it first-hand. */
  void localExit(ActorInfo actor, ExitListener.Reason reason, BeachException error) {
    JsonObject e = new JsonObject().put("type", DeploymentEvents.ACTOR_EXITED).put("actor", actor.toJson())
      .put("reason", reason.name().toLowerCase(java.util.Locale.ROOT)).put("error", error == null ? null : error.toJson());
    exits.add(new Reported(actor.id(), Loss.of(reason), error == null ? null : error.toJson()));
    events.publish(e);
    poke();
  }

  /** This node starts to drain: it takes no new instance from now on. */
  void selfDraining() {
    context.runOnContext(v -> {
      draining.add(selfId);
      pass();
    });
  }

  private void onEvent(Message<JsonObject> msg) {
    JsonObject e = msg.body();
    String type = e.getString("type", "");
    String from = e.getString("node");
    switch (type) {
      case DeploymentEvents.ACTOR_EXITED:
        if (leading && !selfId.equals(from)) {
          JsonObject actor = e.getJsonObject("actor", new JsonObject());
          exits.add(new Reported(actor.getString("id", ""), Loss.of(ExitListener.Reason.valueOf(
            e.getString("reason", "failed").toUpperCase(java.util.Locale.ROOT))), e.getJsonObject("error")));
        }
        pass();
        break;
      case DeploymentEvents.NODE_DRAINING:
        draining.add(from);
        pass();
        break;
      case DeploymentEvents.NODE_JOINED:
        JsonObject info = e.getJsonObject("info");
        if (info != null && from != null) {
          joined.put(from, info);
        }
        pass();
        break;
      case "actor.started":
      case "actor.stopped":
        if (!pending.isEmpty() || !stopping.isEmpty()) {
          poke(); // after this turn: the directory's own consumer of this event may run after this one
        }
        break;
      default:
        break;
    }
  }

  private void pass() {
    if (stopped) {
      return;
    }
    if (running) {
      again = true;
      return;
    }
    ClusterView view = views.get();
    if (!view.leads(selfId)) {
      if (leading) {
        LOG.info("node {} no longer leads the reconciliation (the leader is {})", selfId, view.leader());
        leading = false;
        memory = null;
        pending.clear();
        stopping.clear();
      }
      exits.clear();
      return;
    }
    running = true;
    Future<Void> ready = leading ? Future.succeededFuture() : takeOver();
    ready.onComplete(ar -> {
      try {
        if (leading && views.get().version().equals(view.version())) {
          decideAndAct(view);
        } else {
          again = true;
        }
      } catch (RuntimeException e) {
        LOG.warn("reconciliation pass failed: {}", e.toString(), e);
      } finally {
        running = false;
        if (again) {
          again = false;
          poke();
        }
      }
    });
  }

  /** The first pass as leader: start from the books the last leader saved. */
  private Future<Void> takeOver() {
    LOG.info("node {} leads the reconciliation", selfId);
    memory = new ReconcilerMemory();
    board.reset();
    board.readAll().forEach((name, entry) -> {
      JsonObject book = entry.getJsonObject("book");
      if (book != null) {
        memory.books.put(name, RestartBook.fromJson(book));
      }
      JsonObject status = entry.getJsonObject("status");
      if (status != null) {
        memory.states.put(name, DeploymentStatus.State.parse(status.getString("state", "progressing")));
      }
    });
    leading = true;
    return Future.succeededFuture();
  }

  private void decideAndAct(ClusterView view) {
    long now = System.currentTimeMillis();
    for (Reported exit; (exit = exits.poll()) != null; ) {
      memory.exited(exit.actorId(), exit.loss(), exit.error(), now);
    }
    Map<String, Desired> desired = new HashMap<>();
    store.snapshot().forEach((name, r) -> desired.put(name, r.desired()));
    List<Running> actors = new ArrayList<>();
    Set<String> listed = new HashSet<>();
    for (ActorInfo a : directory.list(null, null)) {
      if (a.deployment() != null) {
        actors.add(Running.of(a));
        listed.add(a.id());
      }
    }
    Set<String> live = new HashSet<>(view.nodes());
    for (java.util.Iterator<Pending> it = pending.values().iterator(); it.hasNext(); ) {
      Pending p = it.next();
      if (!live.contains(p.start.node()) || p.actorId != null && (listed.contains(p.actorId)
        || memory.exits.containsKey(p.actorId) || now - p.answeredAt > LISTING_GRACE_MS)) {
        it.remove();
        if (p.actorId != null && !listed.contains(p.actorId)) {
          // started, then gone before it was listed: the decision sees it vanish, and why
          Start s = p.start;
          memory.known.put(p.actorId, new Running(p.actorId, s.deployment(), s.instance(), s.revision(), s.node(),
            p.since, false));
        }
      }
    }
    for (Pending p : pending.values()) {
      Start s = p.start;
      actors.add(new Running(p.actorId, s.deployment(), s.instance(), s.revision(), s.node(), p.since, true));
    }
    stopping.entrySet().removeIf(e -> !listed.contains(e.getKey()) || now - e.getValue() > STOP_GRACE_MS);

    ReconcilerDecisions.Result result = decisions.decide(new ReconcilerDecisions.World(nodes(view), desired, actors,
      Set.copyOf(stopping.keySet()), store.removed(), now), memory);
    result.events().forEach(events::publish);
    board.publish(result.status(), memory.books);
    for (Action action : result.actions()) {
      if (!views.get().version().equals(view.version())) {
        again = true; // the view moved under us: decide again on the new one
        break;
      }
      if (action instanceof Start s) {
        start(s, view, desired.get(s.deployment()), now);
      } else {
        stop((Stop) action, view, now);
      }
    }
    scheduleWake(result.wakeAt(), now);
    if (!pending.isEmpty() || !stopping.isEmpty()) {
      // The directory may learn of them by a snapshot pull, which tells nobody: look again soon until it shows them.
      scheduleWake(now + CONFIRM_MS, now);
    }
  }

  /** The live nodes, oldest first, as placement sees them: not ready while draining or before reporting. */
  private List<NodeInfo> nodes(ClusterView view) {
    Map<String, JsonObject> stats = new HashMap<>();
    for (JsonObject s : nodeStats.get()) {
      stats.put(s.getString("id"), s);
    }
    List<NodeInfo> out = new ArrayList<>();
    for (String id : view.nodes()) {
      JsonObject s = stats.get(id);
      if ((s == null || s.getLong("startedAt", 0L) == 0L) && joined.containsKey(id)) {
        s = joined.get(id);
      }
      if (s == null) {
        s = new JsonObject().put("id", id).put("ready", false);
      } else {
        joined.remove(id);
      }
      if (draining.contains(id)) {
        s = s.copy().put("ready", false);
      }
      out.add(NodeInfo.fromJson(s));
    }
    return out;
  }

  private void start(Start s, ClusterView view, Desired desired, long now) {
    LOG.debug("deployment {}: starting instance {} on node {}", s.deployment(), s.instance(), s.node());
    Pending p = new Pending(s, now);
    pending.put(s.id(), p);
    JsonObject command = new JsonObject().put("spec", desired.deployment().toActorSpec().toJson())
      .put("deployment", s.deployment()).put("instance", s.instance()).put("revision", s.revision())
      .put("leader", selfId).put("view", view.version());
    control.apply(s.node()).startInstance(command).onComplete(ar -> context.runOnContext(v -> {
      if (pending.get(s.id()) != p) {
        return; // forgotten meanwhile (node left, leadership lost)
      }
      if (ar.succeeded()) {
        LOG.debug("deployment {}: instance {} runs as actor {} on node {}", s.deployment(), s.instance(), ar.result(),
          s.node());
        p.actorId = ar.result();
        p.answeredAt = System.currentTimeMillis();
        pass();
        return;
      }
      pending.remove(s.id());
      BeachException e = BeachException.from(ar.cause());
      if (actorsFault(e) && memory != null) {
        LOG.warn("deployment {}: instance {} failed to start on node {}: {}", s.deployment(), s.instance(), s.node(),
          e.getMessage());
        decisions.startFailed(memory, desired, s.instance(), e.toJson(), System.currentTimeMillis())
          .forEach(events::publish);
        pass();
      } else {
        LOG.debug("deployment {}: start of instance {} on node {} not done ({}); trying again", s.deployment(),
          s.instance(), s.node(), e.getMessage());
        retrySoon();
      }
    }));
  }

  /** Whether a failed start is the actor's doing (its class, its start), not the cluster's (view, draining, delivery). */
  static boolean actorsFault(BeachException e) {
    return e.code() == ErrorCode.ACTOR_FAILED || e.code() == ErrorCode.NOT_FOUND || e.code() == ErrorCode.BAD_REQUEST;
  }

  private void stop(Stop s, ClusterView view, long now) {
    stopping.put(s.actorId(), now);
    JsonObject command = new JsonObject().put("ids", new JsonArray().add(s.actorId())).put("leader", selfId)
      .put("view", view.version()).put("quietMs", QUIET_MS).put("maxWaitMs", drainTimeoutMs);
    LOG.info("deployment {}: stopping actor {} of instance {} on node {} ({})", s.deployment(), s.actorId(),
      s.instance(), s.node(), s.why());
    control.apply(s.node()).retire(command).onFailure(t -> context.runOnContext(v -> {
      stopping.remove(s.actorId());
      if (memory != null) {
        memory.ownStops.remove(s.actorId());
      }
      retrySoon();
    }));
  }

  private void retrySoon() {
    scheduleWake(System.currentTimeMillis() + RETRY_MS, System.currentTimeMillis());
  }

  private void scheduleWake(long at, long now) {
    if (at == Long.MAX_VALUE || stopped) {
      return;
    }
    if (wake >= 0 && wakeAt <= at && wakeAt > now) {
      return; // an earlier wake is set
    }
    vertx.cancelTimer(wake);
    wakeAt = at;
    wake = vertx.setTimer(Math.max(1, at - now), t -> {
      wake = -1;
      wakeAt = Long.MAX_VALUE;
      pass();
    });
  }
}
