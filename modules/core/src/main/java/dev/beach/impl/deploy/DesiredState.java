package dev.beach.impl.deploy;

import com.hazelcast.core.HazelcastInstance;
import dev.beach.Address;
import dev.beach.Deployment;
import dev.beach.Readiness;
import dev.beach.control.NodeService;
import dev.beach.impl.cluster.ClusterView;
import dev.beach.impl.directory.Directory;
import dev.beach.impl.hosting.LocalActors;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A node's part in keeping the desired state: the deployments store (replicated map, file under {@code dataDir}),
 * the status board, the {@link Reconciler} (acting only while this node leads), the client side
 * ({@link #deployments()}), and the hand-off of this node's supervised actors when it drains.
 */
public final class DesiredState {

  private static final Logger LOG = LoggerFactory.getLogger(DesiredState.class);

  private final ContextInternal context;
  private final String selfId;
  private final LocalActors actors;
  private final Supplier<List<JsonObject>> nodeStats;
  private final long handOffTimeoutMs;
  private final DeploymentStore store;
  private final SharedMap statusMap;
  private final StatusBoard board;
  private final DeploymentEvents events;
  private final Reconciler reconciler;
  private final Deployments deployments;
  private final StartupDeployments startup;
  /** Deployment revisions whose class this node has readied ({@link #prepareClasses()}). */
  private final Set<String> prepared = ConcurrentHashMap.newKeySet();

  /**
   * @param hz               the node's Hazelcast, or null for a single node
   * @param dataDir          where this node keeps its copy of the deployments, or null for none
   * @param nodeStats        the live nodes' latest statistics
   * @param control          the control plane of a node
   * @param placer           chooses nodes for strategies that are not deterministic
   * @param handOffTimeoutMs how long a drain waits for this node's supervised actors to run elsewhere
   * @param atStart          the deployments this node applies once started ({@code deploy:} of cluster.yaml)
   * @param readyTimeoutMs   the longest the node stays unready waiting for them
   */
  public DesiredState(Vertx vertx, ContextInternal context, String selfId, HazelcastInstance hz, Path dataDir,
                      Directory directory, LocalActors actors, Supplier<List<JsonObject>> nodeStats,
                      Function<String, NodeService> control, ReconcilerDecisions.Placer placer, long periodMs,
                      long handOffTimeoutMs, List<Deployment> atStart, long readyTimeoutMs) {
    this.context = context;
    this.selfId = selfId;
    this.actors = actors;
    this.nodeStats = nodeStats;
    this.handOffTimeoutMs = handOffTimeoutMs;
    this.events = new DeploymentEvents(vertx, selfId);
    this.store = new DeploymentStore(vertx, context, SharedMap.of(hz, Address.DEPLOYMENTS_MAP), dataDir);
    this.statusMap = SharedMap.of(hz, Address.DEPLOYMENT_STATUS_MAP);
    this.board = new StatusBoard(vertx, statusMap);
    this.reconciler = new Reconciler(vertx, context, selfId, store, board, directory, nodeStats,
      () -> ClusterView.of(hz, selfId), control, events, placer, periodMs, handOffTimeoutMs);
    this.deployments = new Deployments(context, selfId, store, board, directory, this::readyNodes, events,
      reconciler::poke);
    this.startup = new StartupDeployments(vertx, context, atStart, readyTimeoutMs, deployments, store, directory);
    actors.onExit(reconciler::localExit);
  }

  /** The client side: apply, list, remove, scale. */
  public Deployments deployments() {
    return deployments;
  }

  /**
   * Loads (or restores) the deployments, then starts reconciling and applying the start-up deployments (without
   * waiting for them: {@link #readiness()} does).
   */
  public Future<Void> start() {
    store.onChange(this::prepareClasses);
    return Future.all(store.start(), board.start()).compose(v -> {
      prepareClasses();
      return reconciler.start();
    }).onSuccess(v -> startup.start());
  }

  /** Ready once the start-up deployments run ({@link StartupDeployments} has the rule); never while draining. */
  public Readiness readiness() {
    if (!actors.ready()) {
      return Readiness.waiting(List.of("node " + selfId + " drains"));
    }
    return startup.readiness();
  }

  /** Completes once the start-up deployments first let the node be ready. */
  public Future<Readiness> awaitReady() {
    return startup.whenReady();
  }

  /**
   * Readies, in the background, the class of every deployment revision this node has not readied yet, whether or not
   * it hosts one of its actors now: when another node dies, the actors the leader moves here start without first
   * compiling their realm's sources (seconds in a JVM that has not run the compiler yet, the largest part of a
   * failover onto a freshly restarted node).
   */
  private void prepareClasses() {
    Set<String> current = new HashSet<>();
    store.snapshot().forEach((name, r) -> {
      String key = name + "@" + r.revision();
      current.add(key);
      if (prepared.add(key)) {
        actors.prepare(r.deployment().getRealm(), r.deployment().getClassName());
      }
    });
    prepared.retainAll(current); // bounded by the deployments there are, not by every revision there was
  }

  public Future<Void> stop() {
    startup.stop();
    return reconciler.stop().eventually(() -> {
      store.stop();
      statusMap.close();
      return store.flushed();
    });
  }

  /** A node left the view: the leader re-places its instances now, not at its next periodic look. */
  public void nodeLeft(String nodeId) {
    reconciler.nodeLeft(nodeId);
  }

  /**
   * The first step of a drain: this node takes no new actor, says so to the cluster, and waits (at most the hand-off
   * timeout) until the leader has started its supervised actors elsewhere and stopped them here (make before break,
   * so no request fails for it). Per-node actors stay: they go with the node. Completes at once when there is
   * nothing to move, or no other node to move it to.
   */
  public Future<Void> handOff() {
    actors.refuseNew();
    events.publish(new JsonObject().put("type", DeploymentEvents.NODE_DRAINING));
    reconciler.selfDraining();
    int movable = actors.movable();
    if (movable == 0) {
      return Future.succeededFuture();
    }
    LOG.info("node {} drains: moving {} supervised actor(s) to other nodes first", selfId, movable);
    Promise<Void> done = Promise.promise();
    waitMoved(System.currentTimeMillis() + handOffTimeoutMs, done);
    return done.future();
  }

  private void waitMoved(long deadline, Promise<Void> done) {
    int left = actors.movable();
    if (left == 0) {
      done.complete();
    } else if (otherReadyNodes() == 0 || System.currentTimeMillis() >= deadline) {
      LOG.warn("node {} drains with {} supervised actor(s) not moved ({}); the leader replaces them once they stop",
        selfId, left, System.currentTimeMillis() >= deadline ? "timed out" : "no other node takes actors");
      done.complete();
    } else {
      context.setTimer(20, t -> waitMoved(deadline, done));
    }
  }

  private int readyNodes() {
    int n = 0;
    for (JsonObject s : nodeStats.get()) {
      if (s.getBoolean("ready", false)) {
        n++;
      }
    }
    return n;
  }

  private int otherReadyNodes() {
    int n = 0;
    for (JsonObject s : nodeStats.get()) {
      if (s.getBoolean("ready", false) && !selfId.equals(s.getString("id"))) {
        n++;
      }
    }
    return n;
  }
}
