package dev.beach.impl.control;

import dev.beach.ActorSpec;
import dev.beach.BeachException;
import dev.beach.LogQuery;
import dev.beach.control.NodeService;
import dev.beach.ErrorCode;
import dev.beach.impl.cluster.ClusterView;
import dev.beach.impl.directory.Directory;
import dev.beach.impl.hosting.InstanceTag;
import dev.beach.impl.hosting.ActorCell;
import dev.beach.impl.hosting.Cells;
import dev.beach.impl.hosting.LocalActors;
import dev.beach.impl.hosting.NodeLogs;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.serviceproxy.ServiceException;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * This node's control plane. Failures leave as {@link ServiceException}s carrying the {@link dev.beach.ErrorCode}
 * and the JSON form of the {@link BeachException}, which the generated proxy keeps intact (a plain exception
 * would arrive as code -1).
 */
public final class NodeServiceImpl implements NodeService {

  private final Vertx vertx;
  private final String nodeId;
  private final LocalActors actors;
  private final Cells cells;
  private final Directory directory;
  private final LongSupplier directorySeq;
  private final Supplier<JsonObject> stats;
  private final Supplier<Future<Void>> drain;
  private final Runnable shutdown;
  private final NodeLogs logs;
  private final Supplier<ClusterView> view;

  /**
   * @param directorySeq the sequence number of this node's last directory event (answered with its actor list)
   * @param stats        this node's statistics, sampled now
   * @param drain        drains this node's actors
   * @param shutdown     closes this node (called after the answer has left)
   * @param logs         this node's actor log rings
   * @param view         the member list as this node sees it now (fences the leader's actions)
   */
  public NodeServiceImpl(Vertx vertx, String nodeId, LocalActors actors, Cells cells, Directory directory,
                         LongSupplier directorySeq, Supplier<JsonObject> stats, Supplier<Future<Void>> drain,
                         Runnable shutdown, NodeLogs logs, Supplier<ClusterView> view) {
    this.view = view;
    this.vertx = vertx;
    this.nodeId = nodeId;
    this.actors = actors;
    this.cells = cells;
    this.directory = directory;
    this.directorySeq = directorySeq;
    this.stats = stats;
    this.drain = drain;
    this.shutdown = shutdown;
    this.logs = logs;
  }

  @Override
  public Future<JsonArray> deploy(JsonObject spec, int instances) {
    return wrap(Future.<ActorSpec>succeededFuture().compose(v -> actors.deploy(new ActorSpec(spec), instances))
      .map(ids -> new JsonArray(new ArrayList<>(ids))));
  }

  @Override
  public Future<Integer> stop(JsonArray ids) {
    List<String> list = new ArrayList<>();
    ids.forEach(id -> list.add(String.valueOf(id)));
    return wrap(actors.stop(list));
  }

  @Override
  public Future<Integer> stopCategory(String realm, String category) {
    return wrap(actors.stop(cells.ids(realm, category)));
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
    ActorCell old = cells.get(ids.get(index));
    if (old == null) {
      return restartNext(ids, index + 1, done);
    }
    return actors.replace(old)
      .compose(fresh -> {
        old.logRing().runtime(org.slf4j.event.Level.INFO, "restarted: replaced by " + fresh.get(0));
        return actors.stop(List.of(old.id()));
      })
      .compose(stopped -> restartNext(ids, index + 1, done + 1));
  }

  @Override
  public Future<String> startInstance(JsonObject command) {
    return wrap(fenced(command).compose(v -> actors.startInstance(new ActorSpec(command.getJsonObject("spec")),
      new InstanceTag(command.getString("deployment"), command.getString("instance"), command.getString("revision")))));
  }

  @Override
  public Future<Integer> retire(JsonObject command) {
    List<String> list = new ArrayList<>();
    command.getJsonArray("ids", new JsonArray()).forEach(id -> list.add(String.valueOf(id)));
    return wrap(fenced(command).compose(v -> actors.retire(list, command.getLong("quietMs", 100L),
      command.getLong("maxWaitMs", 10_000L))));
  }

  /** Fails with 409 unless the sender leads the view this node sees, at the version this node sees. */
  private Future<Void> fenced(JsonObject command) {
    ClusterView here = view.get();
    String leader = command.getString("leader");
    String version = command.getString("view");
    if (leader == null || !here.leads(leader) || !here.version().equals(version)) {
      return BeachException.fail(ErrorCode.CONFLICT, "stale view: the sender " + leader + " acts on member list "
        + version + ", node " + nodeId + " sees " + here.version() + " led by " + here.leader());
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<Integer> stopAll() {
    return wrap(actors.stop(cells.ids(null, null)));
  }

  @Override
  public Future<JsonObject> info() {
    return Future.succeededFuture(stats.get());
  }

  @Override
  public Future<JsonObject> actors(String realm, String category, boolean withStats) {
    long seq = directorySeq.getAsLong();
    JsonArray list = new JsonArray();
    for (ActorCell cell : cells.all()) {
      if ((realm == null || cell.realm().equals(realm)) && (category == null || cell.info().reachedBy(category))) {
        list.add(cell.toJson(withStats));
      }
    }
    return Future.succeededFuture(new JsonObject().put("node", nodeId).put("seq", seq).put("actors", list));
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
      if ((directory.get(id) != null) != present) {
        missing++;
      }
    }
    if (missing == 0 || System.currentTimeMillis() >= deadline) {
      done.complete(missing);
    } else {
      vertx.setTimer(5, t -> check(ids, present, deadline, done));
    }
  }

  @Override
  public Future<JsonObject> logs(String realm, JsonObject query) {
    return wrap(Future.<JsonObject>succeededFuture().map(v -> logs.read(realm, new LogQuery(query).validate())));
  }

  @Override
  public Future<Void> drain() {
    return wrap(drain.get());
  }

  @Override
  public Future<Void> shutdown() {
    // Answer first: the caller should hear "yes" before this node goes away.
    vertx.setTimer(50, t -> shutdown.run());
    return Future.succeededFuture();
  }

  private static <T> Future<T> wrap(Future<T> f) {
    return f.recover(t -> {
      BeachException e = BeachException.from(t);
      return Future.failedFuture(new ServiceException(e.code().code(), e.wireMessage()));
    });
  }
}
