package dev.beach.impl.deploy;

import dev.beach.ActorInfo;
import dev.beach.Deployment;
import dev.beach.DeploymentStatus;
import dev.beach.Readiness;
import dev.beach.impl.directory.Directory;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The deployments a node applies once it has started ({@code deploy:} of cluster.yaml, {@code
 * NodeOptions.getDeployments()}), and the node's readiness that waits for them.
 * <p>
 * Applying: one after another, each with {@link Deployments#applyAtStart} (stored only when absent or different, so a
 * node restarting with the same file restarts nothing, and nodes starting together with one file agree). A failed
 * write (the cluster map busy or unreachable) is tried again every second until the ready bound.
 * <p>
 * The rule for ready: every start-up deployment is settled, that is <em>available</em> by the leader's status about
 * the record the cluster holds now and its actors of that revision listed in this node's directory (so a request
 * sent here right after ready finds them), or <em>failed</em> (a crash loop, or a class that cannot start, gets there
 * after its restarts), or removed by hand; or {@code node.readyTimeoutMs} has passed since the node started, whatever
 * is still missing (say a {@code node(tag:gpu)} deployment in a cluster without one). Once ready the node stays ready:
 * readiness is a start-up gate, not a health check of the deployments, which {@code beach deployments} shows.
 */
final class StartupDeployments {

  private static final Logger LOG = LoggerFactory.getLogger(StartupDeployments.class);
  /** How often readiness is looked at while waiting: a directory read, on the node's context. */
  private static final long CHECK_MS = 50;
  private static final long RETRY_MS = 1_000;

  private final Vertx vertx;
  private final ContextInternal context;
  private final List<Deployment> list;
  private final long readyTimeoutMs;
  private final Deployments deployments;
  private final DeploymentStore store;
  private final Directory directory;
  private final Promise<Readiness> ready = Promise.promise();
  /** Names whose apply completed. Touched on the node's context only; read by {@link #readiness()} from anywhere. */
  private final Set<String> applied = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private volatile String lastApplyError;
  private volatile long deadline = Long.MAX_VALUE;
  private long timer = -1;
  private boolean stopped;

  StartupDeployments(Vertx vertx, ContextInternal context, List<Deployment> list, long readyTimeoutMs,
                     Deployments deployments, DeploymentStore store, Directory directory) {
    this.vertx = vertx;
    this.context = context;
    this.list = List.copyOf(list);
    this.readyTimeoutMs = readyTimeoutMs;
    this.deployments = deployments;
    this.store = store;
    this.directory = directory;
  }

  /** Applies the list and starts watching for ready; returns at once. */
  void start() {
    deadline = System.currentTimeMillis() + readyTimeoutMs;
    if (list.isEmpty()) {
      ready.tryComplete(Readiness.READY);
      return;
    }
    context.runOnContext(v -> {
      apply(0);
      check();
    });
  }

  void stop() {
    context.runOnContext(v -> {
      stopped = true;
      vertx.cancelTimer(timer);
    });
  }

  /** Ready now, or what it waits for. */
  Readiness readiness() {
    if (ready.future().isComplete()) {
      return Readiness.READY;
    }
    return Readiness.waiting(waiting());
  }

  Future<Readiness> whenReady() {
    return ready.future();
  }

  private void apply(int i) {
    if (stopped || i >= list.size()) {
      return;
    }
    Deployment d = list.get(i);
    deployments.applyAtStart(d).onComplete(ar -> context.runOnContext(v -> {
      if (ar.succeeded()) {
        applied.add(d.getName());
        LOG.info("deployment {} {} (deploy list)", d.getName(), ar.result().text());
        apply(i + 1);
      } else if (System.currentTimeMillis() < deadline && !stopped) {
        lastApplyError = ar.cause().getMessage();
        LOG.warn("deployment {} (deploy list) not applied yet: {}; trying again", d.getName(), lastApplyError);
        vertx.setTimer(RETRY_MS, t -> apply(i));
      } else {
        LOG.error("deployment {} (deploy list) could not be applied: {}", d.getName(), ar.cause().getMessage());
        apply(i + 1);
      }
    }));
  }

  private void check() {
    if (stopped || ready.future().isComplete()) {
      return;
    }
    List<String> waiting = waiting();
    if (waiting.isEmpty()) {
      List<String> failed = new ArrayList<>();
      for (Deployment d : list) {
        DeploymentRecord r = store.get(d.getName());
        if (r != null && deployments.statusNow(r).state() == DeploymentStatus.State.FAILED) {
          failed.add(d.getName());
        }
      }
      if (failed.isEmpty()) {
        LOG.info("ready: the {} start-up deployment(s) run", list.size());
      } else {
        LOG.warn("ready, but start-up deployment(s) {} failed (see beach deployments)", failed);
      }
      ready.tryComplete(Readiness.READY);
    } else if (System.currentTimeMillis() >= deadline) {
      LOG.warn("ready after {} ms (node.readyTimeoutMs) without: {}", readyTimeoutMs, String.join("; ", waiting));
      ready.tryComplete(Readiness.READY);
    } else {
      timer = vertx.setTimer(CHECK_MS, t -> check());
    }
  }

  /** One line per start-up deployment that is not settled. */
  private List<String> waiting() {
    List<String> out = new ArrayList<>();
    for (Deployment d : list) {
      String why = unsettled(d);
      if (why != null) {
        out.add("deployment " + d.getName() + ": " + why);
      }
    }
    return out;
  }

  /** Why {@code d} is not settled, or null when it is. */
  private String unsettled(Deployment d) {
    String name = d.getName();
    if (!applied.contains(name)) {
      String error = lastApplyError;
      return "not applied yet" + (error == null ? "" : " (" + error + ")");
    }
    DeploymentRecord r = store.get(name);
    if (r == null) {
      return store.removed().contains(name) ? null : "not in this node's copy of the deployments yet";
    }
    DeploymentStatus s = deployments.statusNow(r);
    if (s.state() == DeploymentStatus.State.FAILED) {
      return null;
    }
    if (s.state() != DeploymentStatus.State.AVAILABLE) {
      return s.state().text() + ", " + s.actual() + "/" + s.desired() + " actors"
        + (s.message() == null ? "" : " (" + s.message() + ")");
    }
    Set<String> listed = new HashSet<>();
    for (ActorInfo a : directory.list(r.deployment().getRealm(), null)) {
      if (name.equals(a.deployment()) && r.revision().equals(a.revision())) {
        listed.add(a.instance());
      }
    }
    return listed.size() >= s.desired() ? null
      : "available, " + listed.size() + "/" + s.desired() + " actors listed on this node yet";
  }
}
