package dev.beach.impl.client;

import dev.beach.ActorHandle;
import dev.beach.ActorInfo;
import dev.beach.ActorListing;
import dev.beach.ActorSpec;
import dev.beach.Address;
import dev.beach.Beach;
import dev.beach.BeachException;
import dev.beach.ErrorCode;
import dev.beach.HandleOptions;
import dev.beach.LogPage;
import dev.beach.LogQuery;
import dev.beach.NodeInfo;
import dev.beach.impl.code.CodeStore;
import dev.beach.Deployment;
import dev.beach.DeploymentStatus;
import dev.beach.impl.control.ControlPlane;
import dev.beach.impl.deploy.Deployments;
import dev.beach.impl.directory.Directory;
import dev.beach.impl.directory.Membership;
import dev.beach.impl.directory.Placements;
import dev.beach.impl.hosting.Cells;
import dev.beach.impl.stream.Streams;
import dev.beach.impl.trace.Tracing;
import dev.beach.impl.transport.Coalescer;
import dev.beach.impl.transport.Deadlines;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** The {@link Beach} client of one node: placement and control-plane fan-out. */
public final class BeachClient implements Beach {

  private static final long AGREEMENT_TIMEOUT_MS = 3000;

  private final String nodeId;
  private final long requestTimeoutMs;
  private final Directory directory;
  private final Membership membership;
  private final ControlPlane control;
  private final Supplier<Future<CodeStore>> code;
  private final Dispatch dispatch;
  private final Placements placements = new Placements();
  private final Deployments deployments;
  private final VertxInternal vertx;

  /**
   * @param requestTimeoutMs the default timeout of the handles it makes
   * @param code             the realm code store, once the node has started it
   * @param closing          true once the node closes: handles stop retrying then
   * @param deployments      the desired-state side (apply, list, remove, scale)
   * @param tracing          the client spans of the handles it makes
   */
  public BeachClient(VertxInternal vertx, String nodeId, long requestTimeoutMs, Directory directory,
                     Membership membership, ControlPlane control, Cells cells, Coalescer coalescer, Streams streams,
                     Supplier<Future<CodeStore>> code, BooleanSupplier closing, Deployments deployments,
                     Tracing tracing, Deadlines deadlines) {
    this.deployments = deployments;
    this.vertx = vertx;
    this.nodeId = nodeId;
    this.requestTimeoutMs = requestTimeoutMs;
    this.directory = directory;
    this.membership = membership;
    this.control = control;
    this.code = code;
    this.dispatch = new Dispatch(vertx, nodeId, directory, cells, coalescer, streams, closing, tracing, deadlines);
  }

  @Override
  public String nodeId() {
    return nodeId;
  }

  @Override
  public ActorHandle handle(String realm, String category) {
    return handle(realm, category, new HandleOptions().setTimeoutMs(requestTimeoutMs));
  }

  @Override
  public ActorHandle handle(String realm, String category, HandleOptions options) {
    Address.validateRealm(realm);
    Address.validateCategory(category);
    return new HandleImpl(dispatch, realm, category, null, new HandleOptions(options));
  }

  @Override
  public ActorHandle actor(String realm, String actorId) {
    Address.validateRealm(realm);
    Address.validateActorId(actorId);
    return new HandleImpl(dispatch, realm, null, actorId, new HandleOptions().setTimeoutMs(requestTimeoutMs));
  }

  @Override
  public Future<List<String>> deploy(ActorSpec spec) {
    ActorSpec s;
    Map<String, Integer> plan;
    try {
      s = new ActorSpec(spec).validate();
      List<NodeInfo> ready = new ArrayList<>();
      for (JsonObject n : membership.nodeStats()) {
        NodeInfo info = NodeInfo.fromJson(n);
        if (info.ready()) {
          ready.add(info);
        }
      }
      // spread without a count: one on every node (DESIGN.md "Placement")
      int instances = s.getPlacement().kind() == dev.beach.Placement.Kind.SPREAD && !s.isInstancesSet()
        ? Math.max(1, ready.size()) : s.getInstances();
      plan = placements.plan(s.getPlacement(), instances, ready, nodeId, s.getRealm(), directory::reach);
    } catch (BeachException e) {
      return Future.failedFuture(e);
    }
    JsonObject json = s.toJson();
    List<String> targets = new ArrayList<>(plan.keySet());
    List<Future<JsonArray>> parts = new ArrayList<>();
    for (String target : targets) {
      parts.add(control.of(target).deploy(json, plan.get(target)));
    }
    return Future.join(parts).transform(ar -> {
      List<String> ids = new ArrayList<>();
      BeachException failure = null;
      for (Future<JsonArray> part : parts) {
        if (part.succeeded()) {
          part.result().forEach(id -> ids.add((String) id));
        } else if (failure == null) {
          failure = BeachException.from(part.cause());
        }
      }
      if (failure == null) {
        // Directories learn of remote actors by event: wait until every node lists them, so whoever
        // deployed can use them from any node as soon as this completes.
        return agreed(ids, true).map(v -> ids);
      }
      BeachException error = failure.withDetail("rolledBack", new JsonArray(new ArrayList<>(ids)));
      return stopAll(ids).transform(x -> Future.failedFuture(error));
    });
  }

  /**
   * Waits (bounded) until every live node's directory shows {@code ids} present or absent. A node that does
   * not agree in time is not an error: the directory heals by itself, and handles retry on 503.
   */
  private Future<Void> agreed(List<String> ids, boolean present) {
    JsonArray list = new JsonArray(new ArrayList<>(ids));
    List<Future<Integer>> all = new ArrayList<>();
    for (String n : membership.liveNodes()) {
      all.add(control.of(n).awaitDirectory(list, present, AGREEMENT_TIMEOUT_MS));
    }
    return Future.join(all).transform(ar -> Future.succeededFuture());
  }

  private Future<Integer> stopAll(List<String> ids) {
    List<Future<Void>> all = new ArrayList<>();
    for (String id : ids) {
      all.add(stop(id).recover(t -> Future.succeededFuture()));
    }
    return Future.join(all).map(ids.size());
  }

  @Override
  public Future<Void> stop(String actorId) {
    try {
      Address.validateActorId(actorId);
    } catch (BeachException e) {
      return Future.failedFuture(e);
    }
    ActorInfo info = directory.get(actorId);
    if (info == null) {
      return BeachException.fail(ErrorCode.NOT_FOUND, "no actor " + actorId + " in the cluster");
    }
    return control.of(info.node()).stop(new JsonArray().add(actorId)).compose(n -> n == 0
      ? BeachException.fail(ErrorCode.NOT_FOUND, "actor " + actorId + " was already gone")
      : agreed(List.of(actorId), false))
      .recover(t -> Future.failedFuture(BeachException.from(t)));
  }

  @Override
  public Future<Integer> stop(String realm, String category) {
    try {
      Address.validateRealm(realm);
      if (category != null) {
        Address.validateCategory(category);
      }
    } catch (BeachException e) {
      return Future.failedFuture(e);
    }
    return sum(n -> control.of(n).stopCategory(realm, category));
  }

  @Override
  public Future<Integer> flush() {
    return sum(n -> control.of(n).stopAll());
  }

  private Future<Integer> sum(java.util.function.Function<String, Future<Integer>> perNode) {
    List<Future<Integer>> parts = new ArrayList<>();
    for (String n : membership.liveNodes()) {
      parts.add(perNode.apply(n));
    }
    return Future.join(parts).transform(ar -> {
      int total = 0;
      for (Future<Integer> p : parts) {
        if (p.failed() && !ControlPlane.isNodeLeft(p.cause())) {
          return Future.failedFuture(BeachException.from(p.cause()));
        }
        total += p.failed() ? 0 : p.result(); // a node that left took its actors with it
      }
      return Future.succeededFuture(total);
    });
  }

  @Override
  public List<ActorInfo> directory(String realm, String category) {
    if (realm != null) {
      Address.validateRealm(realm);
    }
    if (category != null) {
      Address.validateCategory(category);
    }
    return directory.list(realm, category);
  }

  @Override
  public Future<List<ActorInfo>> actors(String realm, String category) {
    return listActors(realm, category).map(ActorListing::actors);
  }

  /** How long a cluster-wide listing waits for each node: a hung node costs this, not the control timeout. */
  public static final long LISTING_TIMEOUT_MS = 2_000;

  @Override
  public Future<ActorListing> listActors(String realm, String category) {
    try {
      directory(realm, category);
    } catch (BeachException e) {
      return Future.failedFuture(e);
    }
    List<String> nodes = new ArrayList<>(membership.liveNodes());
    List<Future<JsonObject>> parts = new ArrayList<>();
    for (String n : nodes) {
      parts.add(within(control.of(n).actors(realm, category, true), LISTING_TIMEOUT_MS));
    }
    return Future.join(parts).transform(ar -> {
      List<ActorInfo> out = new ArrayList<>();
      List<String> missing = new ArrayList<>();
      for (int i = 0; i < parts.size(); i++) {
        Future<JsonObject> p = parts.get(i);
        if (p.succeeded()) {
          p.result().getJsonArray("actors").forEach(a -> out.add(ActorInfo.fromJson((JsonObject) a)));
        } else if (!ControlPlane.isNodeLeft(p.cause())) {
          missing.add(nodes.get(i)); // a node that left has no actors to list; one that is slow or hung is missing
        }
      }
      out.sort((a, b) -> a.id().compareTo(b.id()));
      return Future.succeededFuture(new ActorListing(out, missing));
    });
  }

  /** {@code f}, or a 504 after {@code ms}. */
  private <T> Future<T> within(Future<T> f, long ms) {
    Promise<T> bounded = Promise.promise();
    long timer = vertx.setTimer(ms, t -> bounded.tryFail(new BeachException(ErrorCode.TIMEOUT, "no answer in " + ms + " ms")));
    f.onComplete(ar -> {
      vertx.cancelTimer(timer);
      if (ar.succeeded()) {
        bounded.tryComplete(ar.result());
      } else {
        bounded.tryFail(ar.cause());
      }
    });
    return bounded.future();
  }

  @Override
  public List<String> realms() {
    return new ArrayList<>(directory.realms());
  }

  @Override
  public Future<List<NodeInfo>> nodes() {
    List<NodeInfo> out = new ArrayList<>();
    membership.nodeStats().forEach(j -> out.add(NodeInfo.fromJson(j)));
    return Future.succeededFuture(out);
  }

  @Override
  public Future<Void> shutdown(String nodeId) {
    if (nodeId == null || !membership.liveNodes().contains(nodeId)) {
      return BeachException.fail(ErrorCode.NOT_FOUND, "no node " + nodeId + " in the cluster");
    }
    return control.of(nodeId).shutdown().recover(t -> Future.failedFuture(BeachException.from(t)));
  }

  @Override
  public Future<Integer> restart(String realm, String category) {
    List<ActorInfo> targets;
    try {
      targets = directory(realm, category);
    } catch (BeachException e) {
      return Future.failedFuture(e);
    }
    Map<String, JsonArray> byNode = new java.util.LinkedHashMap<>();
    for (ActorInfo a : targets) {
      byNode.computeIfAbsent(a.node(), n -> new JsonArray()).add(a.id());
    }
    // Node after node, actor after actor: at most one actor of the category is being replaced at a time.
    Future<Integer> chain = Future.succeededFuture(0);
    for (Map.Entry<String, JsonArray> e : byNode.entrySet()) {
      chain = chain.compose(done -> control.of(e.getKey()).restart(e.getValue()).map(n -> done + n));
    }
    return chain.recover(t -> Future.failedFuture(BeachException.from(t)));
  }

  @Override
  public Future<Void> pushCode(String realm, String file, Buffer content) {
    return code.get().compose(store -> store.push(realm, file, content));
  }

  @Override
  public Future<List<JsonObject>> codeFiles(String realm) {
    return code.get().compose(store -> store.list(realm));
  }

  @Override
  public Future<Buffer> code(String realm, String file) {
    return code.get().compose(store -> store.read(realm, file));
  }

  @Override
  public Future<LogPage> logs(String realm, LogQuery query) {
    return ClusterLogs.read(realm, query, directory, membership.liveNodes(), control);
  }

  // ------------------------------------------------------------------ desired state

  @Override
  public Future<DeploymentStatus> apply(Deployment deployment) {
    return deployments.apply(deployment);
  }

  @Override
  public Future<List<DeploymentStatus>> deployments() {
    return deployments.list();
  }

  @Override
  public Future<DeploymentStatus> deployment(String name) {
    return deployments.get(name);
  }

  @Override
  public Future<Void> remove(String name) {
    return deployments.remove(name);
  }

  @Override
  public Future<DeploymentStatus> scale(String name, int count) {
    return deployments.scale(name, count);
  }

  @Override
  public Future<DeploymentStatus> restartDeployment(String name) {
    return deployments.restart(name);
  }

  @Override
  public Future<Void> drain(String nodeId) {
    if (nodeId == null || !membership.liveNodes().contains(nodeId)) {
      return BeachException.fail(ErrorCode.NOT_FOUND, "no node " + nodeId + " in the cluster");
    }
    return control.of(nodeId).drain().recover(t -> Future.failedFuture(BeachException.from(t)));
  }
}
