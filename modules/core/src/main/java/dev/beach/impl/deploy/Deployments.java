package dev.beach.impl.deploy;

import dev.beach.ActorInfo;
import dev.beach.BeachException;
import dev.beach.Deployment;
import dev.beach.DeploymentStatus;
import dev.beach.ErrorCode;
import dev.beach.Placement;
import dev.beach.impl.directory.Directory;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntSupplier;

/**
 * The desired-state side of the client ({@code Beach.apply}, {@code deployments}, {@code remove}, {@code scale}): it
 * changes the cluster's record and returns; the leader does the rest. Statuses come from what the leader last
 * published; a deployment the leader has not looked at since its last change reads {@code progressing}, with counts
 * from this node's directory.
 */
public final class Deployments {

  private static final long REMOVE_WAIT_MS = 5_000;

  private final ContextInternal context;
  private final String selfId;
  private final DeploymentStore store;
  private final StatusBoard board;
  private final Directory directory;
  private final IntSupplier readyNodes;
  private final DeploymentEvents events;
  private final Runnable poke;

  /** @param context the node's context: waits run there, never on a caller's (an actor's may be undeployed) */
  Deployments(ContextInternal context, String selfId, DeploymentStore store, StatusBoard board, Directory directory,
              IntSupplier readyNodes, DeploymentEvents events, Runnable poke) {
    this.context = context;
    this.selfId = selfId;
    this.store = store;
    this.board = board;
    this.directory = directory;
    this.readyNodes = readyNodes;
    this.events = events;
    this.poke = poke;
  }

  /**
   * Stores {@code deployment} (a new one, or a new version: its actors roll when what they run changed), resetting
   * its restart history, so applying a failed deployment again retries it. {@code local} becomes this node's id.
   */
  public Future<DeploymentStatus> apply(Deployment deployment) {
    Deployment d;
    try {
      d = new Deployment(deployment);
      if (d.getPlacement().kind() == Placement.Kind.LOCAL) {
        d.setPlacement(Placement.nodeId(selfId));
      }
      d.validate();
    } catch (BeachException e) {
      return Future.failedFuture(e);
    }
    long now = System.currentTimeMillis();
    return store.update(d.getName(), current -> DeploymentRecord.of(keepRestartRevision(d, current),
        current == null ? 1 : current.generation() + 1, now))
      .map(r -> {
        events.publish(ReconcilerDecisions.event(DeploymentEvents.APPLIED, r.deployment().getName())
          .put("generation", r.generation()).put("revision", r.revision()).put("deployment", r.deployment().toJson(false)));
        poke.run();
        return fallback(r);
      });
  }

  /**
   * A rollout restart survives a later apply of a file that never heard of it: the stored restart revision is kept
   * unless the applied deployment names a higher one.
   */
  private static Deployment keepRestartRevision(Deployment d, DeploymentRecord current) {
    if (current != null && current.deployment().getRestartRevision() > d.getRestartRevision()) {
      return new Deployment(d).setRestartRevision(current.deployment().getRestartRevision());
    }
    return d;
  }

  /** What {@link #applyAtStart} did. */
  public enum Outcome {
    CREATED, CONFIGURED, UNCHANGED;

    public String text() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * A start-up deployment (validated, {@code local} refused before): stored when absent or different from what the
   * cluster holds, else left alone, generation and restart history included. So a node restarting with the same
   * file restarts no actor and does not retry a failed deployment, and nodes starting together with one file agree
   * (the first writes, the others find it equal).
   */
  public Future<Outcome> applyAtStart(Deployment d) {
    long now = System.currentTimeMillis();
    Outcome[] outcome = new Outcome[1];
    return store.update(d.getName(), current -> {
      Deployment wanted = keepRestartRevision(d, current);
      if (current != null && current.deployment().equals(wanted)) {
        outcome[0] = Outcome.UNCHANGED;
        return current;
      }
      outcome[0] = current == null ? Outcome.CREATED : Outcome.CONFIGURED;
      return DeploymentRecord.of(wanted, current == null ? 1 : current.generation() + 1, now);
    }).map(r -> {
      if (outcome[0] != Outcome.UNCHANGED) {
        events.publish(ReconcilerDecisions.event(DeploymentEvents.APPLIED, r.deployment().getName())
          .put("generation", r.generation()).put("revision", r.revision()).put("deployment", r.deployment().toJson(false))
          .put("atStart", true));
        poke.run();
      }
      return outcome[0];
    });
  }

  /**
   * A rollout restart: bumps the deployment's restart revision, so the leader rolls its actors (and only its) onto
   * the realm's current code, make before break, as for any new revision. Keeps the restart history. 404 when there
   * is none of that name.
   */
  public Future<DeploymentStatus> restart(String name) {
    if (store.get(name) == null) {
      return notFound(name);
    }
    return store.update(name, current -> {
      if (current == null) {
        throw new BeachException(ErrorCode.NOT_FOUND, "no deployment " + name);
      }
      Deployment d = new Deployment(current.deployment());
      d.setRestartRevision(d.getRestartRevision() + 1);
      return new DeploymentRecord(d, current.generation(), DeploymentRecord.revision(d), current.appliedAt());
    }).map(r -> {
      events.publish(ReconcilerDecisions.event(DeploymentEvents.RESTARTED, name)
        .put("restartRevision", r.deployment().getRestartRevision()).put("revision", r.revision()));
      poke.run();
      return fallback(r);
    });
  }

  /** Every deployment with its status, by name. */
  public Future<List<DeploymentStatus>> list() {
    Map<String, DeploymentRecord> records = new TreeMap<>(store.snapshot());
    Map<String, JsonObject> entries = board.readAll();
    List<DeploymentStatus> out = new ArrayList<>();
    records.forEach((name, r) -> out.add(status(r, entries.get(name))));
    return Future.succeededFuture(out);
  }

  /** One deployment's status; 404 when there is none of that name. */
  public Future<DeploymentStatus> get(String name) {
    DeploymentRecord r = store.get(name);
    if (r == null) {
      return notFound(name);
    }
    return Future.succeededFuture(status(r, board.read(name)));
  }

  /**
   * Removes the deployment; the leader stops its actors. Completes once this node's directory lists none of them
   * (at most a few seconds: a slow stop is not an error). 404 when there is none of that name.
   */
  public Future<Void> remove(String name) {
    return store.remove(name).compose(existed -> {
      if (!existed) {
        return notFound(name);
      }
      events.publish(ReconcilerDecisions.event(DeploymentEvents.REMOVED, name));
      poke.run();
      Promise<Void> gone = Promise.promise();
      waitGone(name, System.currentTimeMillis() + REMOVE_WAIT_MS, gone);
      return gone.future();
    });
  }

  private void waitGone(String name, long deadline, Promise<Void> gone) {
    boolean any = false;
    for (ActorInfo a : directory.list(null, null)) {
      if (name.equals(a.deployment())) {
        any = true;
        break;
      }
    }
    if (!any || System.currentTimeMillis() >= deadline) {
      gone.complete();
    } else {
      context.setTimer(20, t -> waitGone(name, deadline, gone));
    }
  }

  /**
   * Sets how many actors: {@code instances} for a deployment of N in the cluster, {@code perNode} for a per-node
   * one. Keeps the restart history. 404 when there is none of that name.
   */
  public Future<DeploymentStatus> scale(String name, int count) {
    if (store.get(name) == null) {
      return notFound(name);
    }
    return store.update(name, current -> {
      if (current == null) {
        throw new BeachException(ErrorCode.NOT_FOUND, "no deployment " + name);
      }
      Deployment d = new Deployment(current.deployment());
      if (d.isPerNode()) {
        d.setPerNode(count);
      } else {
        d.setInstances(count);
      }
      d.validate();
      return new DeploymentRecord(d, current.generation(), current.revision(), current.appliedAt());
    }).map(r -> {
      events.publish(ReconcilerDecisions.event(DeploymentEvents.SCALED, name)
        .put(r.deployment().isPerNode() ? "perNode" : "instances", count));
      poke.run();
      return fallback(r);
    });
  }

  /** {@code r}'s status now, from this node's copies (no I/O). */
  DeploymentStatus statusNow(DeploymentRecord r) {
    return status(r, board.read(r.deployment().getName()));
  }

  /** The leader's status when it is about this very record, else {@link #fallback}. */
  private DeploymentStatus status(DeploymentRecord r, JsonObject entry) {
    if (entry != null && entry.getJsonObject("status") != null && entry.getJsonObject("book") != null
      && entry.getJsonObject("book").getLong("generation", -1L) == r.generation()
      && r.deployment().toJson(false).equals(entry.getJsonObject("status").getJsonObject("deployment"))) {
      return DeploymentStatus.fromJson(entry.getJsonObject("status"));
    }
    return fallback(r);
  }

  /** {@code progressing}, with counts from this node's directory, until the leader has looked. */
  private DeploymentStatus fallback(DeploymentRecord r) {
    Deployment d = r.deployment();
    Map<String, Integer> perNode = new TreeMap<>();
    java.util.Set<String> up = new java.util.HashSet<>();
    for (ActorInfo a : directory.list(d.getRealm(), null)) {
      if (d.getName().equals(a.deployment())) {
        perNode.merge(a.node(), 1, Integer::sum);
        up.add(a.instance());
      }
    }
    int desired = d.isPerNode() ? d.getPerNode() * readyNodes.getAsInt() : d.instances();
    return new DeploymentStatus(d.getName(), d.toJson(false), desired, Math.min(up.size(), desired), perNode,
      DeploymentStatus.State.PROGRESSING, 0, null, "the leader has not looked at this version yet",
      System.currentTimeMillis());
  }

  private static <T> Future<T> notFound(String name) {
    return BeachException.fail(ErrorCode.NOT_FOUND, "no deployment " + name);
  }
}
