package dev.beach.impl;

import dev.beach.ActorInfo;
import dev.beach.Address;
import dev.beach.BeachException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Cluster events on {@code beach._events}: what people watch (the gateway's SSE) and how directories learn
 * of other nodes' actors. Starts and stops are batched for a few milliseconds and numbered per node
 * ({@code seq}), so deploying 100k actors is a few hundred messages, and a receiver that misses one
 * notices the gap and pulls a snapshot.
 */
final class Events {

  static final String ACTOR_STARTED = "actor.started";
  static final String ACTOR_STOPPED = "actor.stopped";
  static final String ACTOR_FAILED = "actor.failed";
  static final String NODE_JOINED = "node.joined";
  static final String NODE_LEFT = "node.left";

  private static final Logger LOG = LoggerFactory.getLogger(Events.class);
  private static final long BATCH_MS = 20;
  private static final int MAX_BATCH = 1000;
  private static final int MAX_FAILURE_EVENTS_PER_SECOND = 20;

  private final NodeRuntime node;
  private List<ActorInfo> started = new ArrayList<>();
  private List<ActorInfo> stopped = new ArrayList<>();
  private long seq;
  private long flushTimer = -1;
  private long failureSecond;
  private int failuresThisSecond;
  private MessageConsumer<JsonObject> consumer;

  Events(NodeRuntime node) {
    this.node = node;
  }

  Future<Void> start() {
    Promise<Void> registered = Promise.promise();
    node.context().runOnContext(v -> {
      consumer = node.vertx().eventBus().consumer(Address.EVENTS, this::onEvent);
      consumer.completion().onComplete(registered);
    });
    return registered.future();
  }

  Future<Void> stop() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  synchronized long seq() {
    return seq;
  }

  synchronized void actorStarted(ActorInfo info) {
    started.add(info);
    scheduleFlush();
  }

  synchronized void actorStopped(ActorInfo info) {
    stopped.add(info);
    scheduleFlush();
  }

  private void scheduleFlush() {
    if (flushTimer < 0) {
      flushTimer = node.vertx().setTimer(BATCH_MS, t -> flush());
    }
  }

  /** Publishes what is batched: starts before stops, since an actor id is never reused. */
  Future<Void> flush() {
    List<JsonObject> out = new ArrayList<>();
    synchronized (this) {
      flushTimer = -1;
      batch(ACTOR_STARTED, started, out);
      batch(ACTOR_STOPPED, stopped, out);
      started = new ArrayList<>();
      stopped = new ArrayList<>();
      node.directory.setSeq(node.id(), seq);
    }
    out.forEach(e -> node.vertx().eventBus().publish(Address.EVENTS, e));
    return Future.succeededFuture();
  }

  private void batch(String type, List<ActorInfo> actors, List<JsonObject> out) {
    for (int from = 0; from < actors.size(); from += MAX_BATCH) {
      JsonArray list = new JsonArray();
      for (ActorInfo a : actors.subList(from, Math.min(actors.size(), from + MAX_BATCH))) {
        list.add(a.toJson());
      }
      out.add(event(type).put("seq", ++seq).put("actors", list));
    }
  }

  void actorFailed(ActorInfo info, String op, BeachException error) {
    long second = System.currentTimeMillis() / 1000;
    synchronized (this) {
      if (second != failureSecond) {
        failureSecond = second;
        failuresThisSecond = 0;
      }
      if (++failuresThisSecond > MAX_FAILURE_EVENTS_PER_SECOND) {
        return; // a crash loop must not flood the cluster; stats still count every error
      }
    }
    node.vertx().eventBus().publish(Address.EVENTS, event(ACTOR_FAILED)
      .put("realm", info.realm()).put("actor", info.id()).put("class", info.className())
      .put("categories", new JsonArray(new ArrayList<>(info.categories()))).put("op", op).put("error", error.toJson()));
  }

  void nodeJoined(dev.beach.NodeInfo info) {
    node.vertx().eventBus().publish(Address.EVENTS, event(NODE_JOINED).put("info", info.toJson()));
  }

  void nodeLeft(String nodeId, int actorsLost) {
    node.vertx().eventBus().publish(Address.EVENTS, event(NODE_LEFT).put("node", nodeId).put("actorsLost", actorsLost)
      .put("reportedBy", node.id()));
  }

  private JsonObject event(String type) {
    return new JsonObject().put("type", type).put("time", System.currentTimeMillis()).put("node", node.id());
  }

  private void onEvent(Message<JsonObject> msg) {
    JsonObject e = msg.body();
    String type = e.getString("type");
    String from = e.getString("node");
    if (from == null || from.equals(node.id()) || type == null) {
      return;
    }
    switch (type) {
      case ACTOR_STARTED:
      case ACTOR_STOPPED:
        if (!node.liveNodes().contains(from)) {
          return; // a late message from a node already gone must not resurrect its actors
        }
        List<ActorInfo> up = new ArrayList<>();
        List<String> down = new ArrayList<>();
        for (Object a : e.getJsonArray("actors", new JsonArray())) {
          ActorInfo info = ActorInfo.fromJson((JsonObject) a);
          if (ACTOR_STARTED.equals(type)) {
            up.add(info);
          } else {
            down.add(info.id());
          }
        }
        if (!node.directory.apply(from, e.getLong("seq", 0L), up, down)) {
          LOG.debug("directory gap for node {} at seq {}: pulling a snapshot", from, e.getLong("seq"));
          node.membership().pull(from);
        }
        break;
      case NODE_JOINED:
        node.membership().pull(from);
        break;
      default:
        break;
    }
  }
}
