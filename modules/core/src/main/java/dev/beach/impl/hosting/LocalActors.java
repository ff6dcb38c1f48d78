package dev.beach.impl.hosting;

import dev.beach.Actor;
import dev.beach.ActorSpec;
import dev.beach.Beach;
import dev.beach.BeachException;
import dev.beach.ErrorCode;
import dev.beach.impl.directory.Directory;
import dev.beach.impl.directory.Events;
import dev.beach.impl.trace.Tracing;
import dev.beach.impl.transport.Lanes;
import dev.beach.spi.ActorFactory;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Starts and stops this node's actors: each one a verticle with its {@link ActorCell}, reachable through
 * {@link Routes}, listed in the directory and announced by {@link Events} once it runs; drained and stopped when
 * the node leaves.
 */
public final class LocalActors {

  private static final Logger LOG = LoggerFactory.getLogger(LocalActors.class);

  private final VertxInternal vertx;
  private final String nodeId;
  private final String idPrefix;
  private final ActorFactory factory;
  private final Cells cells;
  private final Routes routes;
  private final Directory directory;
  private final Events events;
  private final Lanes lanes;
  private final Function<String, Beach> clients;
  private final long drainTimeoutMs;
  private final NodeLogs logs;
  private final Tracing tracing;
  private final AtomicLong counter = new AtomicLong();
  private volatile boolean draining;
  /** Actor id by {@link InstanceTag#key()}: a node runs at most one actor per deployment instance and revision. */
  private final Map<String, String> byTag = new ConcurrentHashMap<>();
  /** Starts of tagged actors under way, so a start asked twice is one start. */
  private final Map<String, Future<String>> starting = new ConcurrentHashMap<>();
  private final List<ExitListener> exits = new CopyOnWriteArrayList<>();

  /**
   * @param idPrefix prefix of this node's actor ids (unique in the cluster: derived from the node id)
   * @param clients  the client handed to each actor, by the actor's realm (a realm-scoped one unless the realm is
   *                 trusted); asked for at deploy time, since the client is built on top of this layer
   * @param logs     the actors' log rings
   * @param tracing  the server spans around handlers
   */
  public LocalActors(VertxInternal vertx, String nodeId, String idPrefix, ActorFactory factory, Cells cells,
                     Routes routes, Directory directory, Events events, Lanes lanes, Function<String, Beach> clients,
                     long drainTimeoutMs, NodeLogs logs, Tracing tracing) {
    this.tracing = tracing;
    this.vertx = vertx;
    this.nodeId = nodeId;
    this.idPrefix = idPrefix;
    this.factory = factory;
    this.cells = cells;
    this.routes = routes;
    this.directory = directory;
    this.events = events;
    this.lanes = lanes;
    this.clients = clients;
    this.drainTimeoutMs = drainTimeoutMs;
    this.logs = logs;
  }

  /**
   * Readies the class of a deployment this node may be asked to host ({@link ActorFactory#prepare}), on a worker
   * thread; completes when done. A failure is only logged: the start that needs the class reports it.
   */
  public Future<Void> prepare(String realm, String className) {
    return vertx.<Void>executeBlocking(() -> {
      factory.prepare(realm, className);
      return null;
    }, false).onFailure(e -> LOG.debug("preparing {} of realm {} failed: {}", className, realm, e.toString()));
  }

  /** False once the node drains: it takes no new actors then. */
  public boolean ready() {
    return !draining;
  }

  /** Tells {@code listener} of every tagged actor that stops, before the directory forgets it. */
  public void onExit(ExitListener listener) {
    exits.add(listener);
  }

  /**
   * Starts the actor of one deployment instance here, unless one with the same tag runs or is starting: then
   * completes with that one's id. Idempotent, so a control call retried or repeated starts one actor.
   */
  public Future<String> startInstance(ActorSpec spec, InstanceTag tag) {
    String running = byTag.get(tag.key());
    if (running != null && cells.get(running) != null) {
      return Future.succeededFuture(running);
    }
    Future<String> inFlight = starting.get(tag.key());
    if (inFlight != null) {
      return inFlight;
    }
    Promise<String> started = Promise.promise();
    starting.put(tag.key(), started.future());
    deploy(spec, 1, tag).map(ids -> ids.get(0)).onComplete(ar -> {
      starting.remove(tag.key(), started.future());
      started.handle(ar);
    });
    return started.future();
  }

  /**
   * Starts a fresh actor like {@code old} (same spec, same deployment instance if any) with the realm's current code,
   * leaving {@code old} running: a rolling restart stops it once this one runs.
   */
  public Future<List<String>> replace(ActorCell old) {
    return deploy(new ActorSpec(old.spec()), 1, old.tag());
  }

  /** Starts {@code instances} actors of {@code spec} here. Completes with their ids once all run and are routed. */
  public Future<List<String>> deploy(ActorSpec spec, int instances) {
    return deploy(spec, instances, null);
  }

  private Future<List<String>> deploy(ActorSpec spec, int instances, InstanceTag tag) {
    if (draining) {
      return BeachException.fail(ErrorCode.NO_ACTORS, "node " + nodeId + " is draining and takes no new actors");
    }
    try {
      spec.validate();
    } catch (BeachException e) {
      return Future.failedFuture(e);
    }
    return vertx.<List<Actor>>executeBlocking(() -> {
      List<Actor> actors = new ArrayList<>(instances);
      for (int i = 0; i < instances; i++) {
        actors.add(factory.create(spec.getRealm(), spec.getClassName()));
      }
      return actors;
    }, false).compose(actors -> {
      List<Future<String>> started = new ArrayList<>(actors.size());
      int[] lanesFor = cells.lanesFor(spec, actors.size());
      for (int i = 0; i < actors.size(); i++) {
        started.add(deployOne(spec, actors.get(i), tag, lanesFor[i]));
      }
      return Future.join(started).transform(ar -> {
        List<String> ids = new ArrayList<>();
        BeachException failure = null;
        for (Future<String> f : started) {
          if (f.succeeded()) {
            ids.add(f.result());
          } else if (failure == null) {
            failure = BeachException.from(f.cause());
          }
        }
        if (failure == null) {
          return Future.succeededFuture(ids);
        }
        BeachException error = failure;
        return stop(ids).transform(x -> Future.failedFuture(error));
      });
    });
  }

  private Future<String> deployOne(ActorSpec spec, Actor actor, InstanceTag tag, int lane) {
    String actorId = idPrefix + "-" + Long.toString(counter.incrementAndGet(), 36);
    ActorCell cell;
    try {
      cell = new ActorCell(actorId, spec, actor, nodeId, clients.apply(spec.getRealm()), events, lanes, logs, tag,
        this::stopSelf, tracing);
    } catch (RuntimeException e) {
      return Future.failedFuture(BeachException.from(e));
    }
    // Spread over the event loops (Cells.lanesFor): Vert.x would give the actor whichever loop comes next.
    lanes.steer(lane);
    // The realm's class loader as the context loader, so ServiceLoader and JSON mappers inside handlers
    // see the realm's own classes.
    return vertx.deployVerticle(actor, new DeploymentOptions().setClassLoader(actor.getClass().getClassLoader()))
      .recover(t -> {
        BeachException e = new BeachException(ErrorCode.ACTOR_FAILED, "actor " + spec.getClassName()
          + " failed to start: " + t, spec.getRealm(), null, actorId, nodeId, null, BeachException.from(t).details());
        events.actorFailed(cell.info(), "start", e);
        cell.logRing().runtime(org.slf4j.event.Level.ERROR, "failed to start: " + t);
        logs.retire(cell.logRing());
        return Future.failedFuture(e);
      })
      .compose(deploymentId -> {
        cell.started(deploymentId, (ContextInternal) ActorAccess.context(actor));
        cells.put(cell);
        if (tag != null) {
          byTag.put(tag.key(), actorId);
        }
        return routes.bind(cell).map(v -> {
          // An actor that stopped while its routes were bound (it stopped itself at once, on its own thread) must
          // not be listed: listing and forgetting take the cell's lock, so its stop is announced after its start.
          synchronized (cell) {
            if (cells.get(actorId) == cell) {
              directory.add(cell.info());
              events.actorStarted(cell.info());
            }
          }
          return actorId;
        });
      });
  }

  /** Stops the listed local actors; completes with how many were here. */
  public Future<Integer> stop(List<String> ids) {
    return stop(ids, draining ? ExitListener.Reason.DRAINED : ExitListener.Reason.STOPPED, null);
  }

  private Future<Integer> stop(List<String> ids, ExitListener.Reason reason, BeachException error) {
    List<Future<?>> undeploys = new ArrayList<>();
    int count = 0;
    for (String actorId : ids) {
      ActorCell cell = cells.get(actorId);
      if (cell == null) {
        continue;
      }
      synchronized (cell) {
        if (!cells.remove(actorId, cell)) {
          continue;
        }
        count++;
        cell.stop();
        routes.unbind(cell);
        logs.retire(cell.logRing());
        forget(cell, reason, error);
      }
      undeploys.add(undeploy(cell));
    }
    int stopped = count;
    return Future.join(undeploys).transform(ar -> Future.succeededFuture(stopped));
  }

  /** Takes the actor out of the directory (telling the exit listeners first) and announces its stop. */
  private void forget(ActorCell cell, ExitListener.Reason reason, BeachException error) {
    if (cell.tag() != null) {
      byTag.remove(cell.tag().key(), cell.id());
      for (ExitListener l : exits) {
        l.exited(cell.info(), reason, error);
      }
    }
    directory.remove(cell.id());
    events.actorStopped(cell.info());
  }

  private Future<?> undeploy(ActorCell cell) {
    if (cell.deploymentId() == null) {
      return Future.succeededFuture();
    }
    return vertx.undeploy(cell.deploymentId()).recover(t -> {
      if (String.valueOf(t.getMessage()).contains("Unknown deployment")) {
        // Vert.x closing undeploys every verticle itself; ours may already be gone. Not a failure.
        LOG.debug("actor {} was already undeployed", cell.id());
      } else {
        LOG.warn("actor {} failed to stop cleanly: {}", cell.id(), t.toString());
      }
      return Future.succeededFuture();
    });
  }

  /**
   * Stops the listed actors without failing a request: each leaves the directory and its category addresses at once
   * (callers stop picking it), answers what it already holds and what still reaches it by id for at least
   * {@code quietMs}, then stops once idle, or after {@code maxWaitMs}. Completes with how many were here.
   */
  public Future<Integer> retire(List<String> ids, long quietMs, long maxWaitMs) {
    List<ActorCell> leaving = new ArrayList<>();
    for (String actorId : ids) {
      ActorCell cell = cells.get(actorId);
      if (cell != null && !cell.isStopped()) {
        synchronized (cell) {
          leaving.add(cell);
          routes.unbind(cell);
          forget(cell, ExitListener.Reason.STOPPED, null);
        }
      }
    }
    if (leaving.isEmpty()) {
      return Future.succeededFuture(0);
    }
    Promise<Void> idle = Promise.promise();
    long start = System.currentTimeMillis();
    vertx.setTimer(Math.max(1, quietMs), t -> waitIdle(leaving, start + Math.max(quietMs, maxWaitMs), idle));
    return idle.future().compose(v -> {
      List<Future<?>> undeploys = new ArrayList<>();
      for (ActorCell cell : leaving) {
        if (cells.remove(cell.id()) != null) {
          cell.stop();
          logs.retire(cell.logRing());
          undeploys.add(undeploy(cell));
        }
      }
      return Future.join(undeploys).map(leaving.size());
    });
  }

  /** An actor asked to stop ({@code error} null: a clean exit); runs on the actor's context. */
  private void stopSelf(ActorCell cell, Throwable error) {
    BeachException failure = error == null ? null : BeachException.from(error)
      .locate(cell.realm(), null, cell.id(), nodeId, null);
    if (failure != null) {
      LOG.warn("actor {} ({}) stopped itself with an error: {}", cell.id(), cell.info().className(), failure.getMessage());
    }
    stop(List.of(cell.id()), error == null ? ExitListener.Reason.EXITED : ExitListener.Reason.FAILED, failure);
  }

  /**
   * The first step of a drain, on its own: refuses new actors (the node reports itself not ready) but keeps the ones
   * it has, so a deployment's actors can be started elsewhere before these stop.
   */
  public void refuseNew() {
    draining = true;
  }

  /** How many local actors belong to deployments that would move them elsewhere (not per-node ones). */
  public int movable() {
    int n = 0;
    for (ActorCell cell : cells.all()) {
      if (cell.tag() != null && !cell.tag().perNode()) {
        n++;
      }
    }
    return n;
  }

  /**
   * Refuses new actors, runs every actor's drain hook, lets queued requests finish (up to the drain timeout),
   * then stops every local actor.
   */
  public Future<Void> drain() {
    draining = true;
    List<ActorCell> local = new ArrayList<>(cells.all());
    List<Future<?>> hooks = new ArrayList<>();
    for (ActorCell cell : local) {
      hooks.add(Future.succeededFuture().compose(v -> ActorAccess.drain(cell.actor()))
        .recover(t -> Future.succeededFuture()));
    }
    Promise<Void> idle = Promise.promise();
    long deadline = System.currentTimeMillis() + drainTimeoutMs;
    Future.join(hooks).onComplete(ar -> waitIdle(local, deadline, idle));
    return idle.future().compose(v -> stop(cells.ids(null, null))).mapEmpty();
  }

  private void waitIdle(List<ActorCell> local, long deadline, Promise<Void> idle) {
    boolean busy = local.stream().anyMatch(c -> c.pending() > 0);
    if (!busy || System.currentTimeMillis() >= deadline) {
      idle.tryComplete();
    } else {
      vertx.setTimer(20, t -> waitIdle(local, deadline, idle));
    }
  }
}
