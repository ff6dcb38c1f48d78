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

  /** False once the node drains: it takes no new actors then. */
  public boolean ready() {
    return !draining;
  }

  /** Starts {@code instances} actors of {@code spec} here. Completes with their ids once all run and are routed. */
  public Future<List<String>> deploy(ActorSpec spec, int instances) {
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
      for (Actor actor : actors) {
        started.add(deployOne(spec, actor));
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

  private Future<String> deployOne(ActorSpec spec, Actor actor) {
    String actorId = idPrefix + "-" + Long.toString(counter.incrementAndGet(), 36);
    ActorCell cell;
    try {
      cell = new ActorCell(actorId, spec, actor, nodeId, clients.apply(spec.getRealm()), events, lanes, logs, tracing);
    } catch (RuntimeException e) {
      return Future.failedFuture(BeachException.from(e));
    }
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
        return routes.bind(cell).map(v -> {
          directory.add(cell.info());
          events.actorStarted(cell.info());
          return actorId;
        });
      });
  }

  /** Stops the listed local actors; completes with how many were here. */
  public Future<Integer> stop(List<String> ids) {
    List<Future<?>> undeploys = new ArrayList<>();
    int count = 0;
    for (String actorId : ids) {
      ActorCell cell = cells.remove(actorId);
      if (cell == null) {
        continue;
      }
      count++;
      cell.stop();
      logs.retire(cell.logRing());
      routes.unbind(cell);
      directory.remove(actorId);
      events.actorStopped(cell.info());
      if (cell.deploymentId() != null) {
        undeploys.add(vertx.undeploy(cell.deploymentId()).recover(t -> {
          if (String.valueOf(t.getMessage()).contains("Unknown deployment")) {
            // Vert.x closing undeploys every verticle itself; ours may already be gone. Not a failure.
            LOG.debug("actor {} was already undeployed", actorId);
          } else {
            LOG.warn("actor {} failed to stop cleanly: {}", actorId, t.toString());
          }
          return Future.succeededFuture();
        }));
      }
    }
    int stopped = count;
    return Future.join(undeploys).transform(ar -> Future.succeededFuture(stopped));
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
