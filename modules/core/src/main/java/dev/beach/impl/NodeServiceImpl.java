package dev.beach.impl;

import dev.beach.ActorSpec;
import dev.beach.BeachException;
import dev.beach.control.NodeService;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.serviceproxy.ServiceException;

import java.util.ArrayList;
import java.util.List;

/**
 * This node's control plane. Failures leave as {@link ServiceException}s carrying the {@link dev.beach.ErrorCode}
 * and the JSON form of the {@link BeachException}, which the generated proxy keeps intact (a plain exception
 * would arrive as code -1).
 */
final class NodeServiceImpl implements NodeService {

  private final NodeRuntime node;

  NodeServiceImpl(NodeRuntime node) {
    this.node = node;
  }

  @Override
  public Future<JsonArray> deploy(JsonObject spec, int instances) {
    return wrap(Future.<ActorSpec>succeededFuture().compose(v -> node.deployLocal(new ActorSpec(spec), instances))
      .map(ids -> new JsonArray(new ArrayList<>(ids))));
  }

  @Override
  public Future<Integer> stop(JsonArray ids) {
    List<String> list = new ArrayList<>();
    ids.forEach(id -> list.add(String.valueOf(id)));
    return wrap(node.stopLocal(list));
  }

  @Override
  public Future<Integer> stopCategory(String realm, String category) {
    return wrap(node.stopLocal(node.localIds(realm, category)));
  }

  @Override
  public Future<Integer> restart(JsonArray ids) {
    List<String> list = new ArrayList<>();
    ids.forEach(id -> list.add(String.valueOf(id)));
    return wrap(restartNext(list, 0, 0));
  }

  /** One at a time: the replacement is running before the old actor stops, so the category never goes empty. */
  private Future<Integer> restartNext(List<String> ids, int index, int done) {
    if (index >= ids.size()) {
      return Future.succeededFuture(done);
    }
    ActorCell old = node.cell(ids.get(index));
    if (old == null) {
      return restartNext(ids, index + 1, done);
    }
    return node.deployLocal(new ActorSpec(old.spec()), 1)
      .compose(fresh -> node.stopLocal(List.of(old.id())))
      .compose(stopped -> restartNext(ids, index + 1, done + 1));
  }

  @Override
  public Future<Integer> stopAll() {
    return wrap(node.stopLocal(node.localIds(null, null)));
  }

  @Override
  public Future<JsonObject> info() {
    return Future.succeededFuture(node.stats().sample());
  }

  @Override
  public Future<JsonObject> actors(String realm, String category, boolean withStats) {
    long seq = node.events().seq();
    JsonArray list = new JsonArray();
    for (ActorCell cell : node.cells()) {
      if ((realm == null || cell.realm().equals(realm)) && (category == null || cell.info().reachedBy(category))) {
        list.add(cell.toJson(withStats));
      }
    }
    return Future.succeededFuture(new JsonObject().put("node", node.id()).put("seq", seq).put("actors", list));
  }

  @Override
  public Future<Integer> awaitDirectory(JsonArray ids, boolean present, long timeoutMs) {
    List<String> list = new ArrayList<>();
    ids.forEach(id -> list.add(String.valueOf(id)));
    io.vertx.core.Promise<Integer> done = io.vertx.core.Promise.promise();
    check(list, present, System.currentTimeMillis() + Math.min(Math.max(0, timeoutMs), 30_000), done);
    return done.future();
  }

  private void check(List<String> ids, boolean present, long deadline, io.vertx.core.Promise<Integer> done) {
    int missing = 0;
    for (String id : ids) {
      if ((node.directory.get(id) != null) != present) {
        missing++;
      }
    }
    if (missing == 0 || System.currentTimeMillis() >= deadline) {
      done.complete(missing);
    } else {
      node.vertx().setTimer(5, t -> check(ids, present, deadline, done));
    }
  }

  @Override
  public Future<Void> drain() {
    return wrap(node.drain());
  }

  @Override
  public Future<Void> shutdown() {
    // Answer first: the caller should hear "yes" before this node goes away.
    node.vertx().setTimer(50, t -> node.close());
    return Future.succeededFuture();
  }

  private static <T> Future<T> wrap(Future<T> f) {
    return f.recover(t -> {
      BeachException e = BeachException.from(t);
      return Future.failedFuture(new ServiceException(e.code().code(), e.wireMessage()));
    });
  }
}
