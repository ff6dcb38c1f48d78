package dev.beach.impl.directory;

import dev.beach.ActorInfo;
import dev.beach.Address;
import dev.beach.BeachException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
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
public final class Events {

  public static final String ACTOR_STARTED = "actor.started";
  public static final String ACTOR_STOPPED = "actor.stopped";
  public static final String ACTOR_FAILED = "actor.failed";
  public static final String NODE_JOINED = "node.joined";
  public static final String NODE_LEFT = "node.left";
  /** A replicated code file a node refused to write (see CodeStore): forged, altered, unsigned or replayed. */
  public static final String CODE_REJECTED = "code.rejected";

  private static final Logger LOG = LoggerFactory.getLogger(Events.class);
  private static final long BATCH_MS = 20;
  private static final int MAX_BATCH = 1000;
  private static final int MAX_FAILURE_EVENTS_PER_SECOND = 20;

  private final Vertx vertx;
  private final ContextInternal context;
  private final String nodeId;
  private final Directory directory;
  private final Membership membership;
  private List<ActorInfo> started = new ArrayList<>();
  private List<ActorInfo> stopped = new ArrayList<>();
  private long seq;
  private long flushTimer = -1;
  private final PerSecond failures = new PerSecond(MAX_FAILURE_EVENTS_PER_SECOND);
  private final PerSecond rejections = new PerSecond(MAX_FAILURE_EVENTS_PER_SECOND);
  private MessageConsumer<JsonObject> consumer;

  /**
   * @param context    the node's own context: the consumer is registered there, off every actor's loop
   * @param membership who is live (a late event from a departed node is ignored) and how to pull a snapshot
   */
  public Events(Vertx vertx, ContextInternal context, String nodeId, Directory directory, Membership membership) {
    this.vertx = vertx;
    this.context = context;
    this.nodeId = nodeId;
    this.directory = directory;
    this.membership = membership;
  }

  public Future<Void> start() {
    Promise<Void> registered = Promise.promise();
    context.runOnContext(v -> {
      consumer = vertx.eventBus().consumer(Address.EVENTS, this::onEvent);
      consumer.completion().onComplete(registered);
    });
    return registered.future();
  }

  public Future<Void> stop() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  public synchronized void actorStarted(ActorInfo info) {
    started.add(info);
    scheduleFlush();
  }

  public synchronized void actorStopped(ActorInfo info) {
    stopped.add(info);
    scheduleFlush();
  }

  private void scheduleFlush() {
    if (flushTimer < 0) {
      // On the node's context, never the caller's: an actor that stops itself calls this on its own context, which
      // is undeployed next, and Vert.x cancels its timers with it; the flush would never run and this node would
      // publish no directory event again.
      flushTimer = context.setTimer(BATCH_MS, t -> flush());
    }
  }

  /** Publishes what is batched: starts before stops, since an actor id is never reused. */
  public Future<Void> flush() {
    List<JsonObject> out = new ArrayList<>();
    synchronized (this) {
      flushTimer = -1;
      batch(ACTOR_STARTED, started, out);
      batch(ACTOR_STOPPED, stopped, out);
      started = new ArrayList<>();
      stopped = new ArrayList<>();
      directory.setSeq(nodeId, seq);
    }
    out.forEach(e -> vertx.eventBus().publish(Address.EVENTS, e));
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

  public void actorFailed(ActorInfo info, String op, BeachException error) {
    if (!failures.take()) {
      return; // a crash loop must not flood the cluster; stats still count every error
    }
    vertx.eventBus().publish(Address.EVENTS, event(ACTOR_FAILED)
      .put("realm", info.realm()).put("actor", info.id()).put("class", info.className())
      .put("categories", new JsonArray(new ArrayList<>(info.categories()))).put("op", op).put("error", error.toJson()));
  }

  /**
   * Reports a replicated code file this node refused. {@code from} is the node the entry's header names, which
   * nothing vouches for. Capped like failures: whoever can write the map must not flood the cluster through us.
   */
  public void codeRejected(String realm, String file, String from, String reason) {
    if (rejections.take()) {
      vertx.eventBus().publish(Address.EVENTS, event(CODE_REJECTED).put("realm", realm).put("file", file)
        .put("from", from).put("reason", reason));
    }
  }

  public void nodeJoined(dev.beach.NodeInfo info) {
    vertx.eventBus().publish(Address.EVENTS, event(NODE_JOINED).put("info", info.toJson()));
  }

  public void nodeLeft(String departed, int actorsLost) {
    vertx.eventBus().publish(Address.EVENTS, event(NODE_LEFT).put("node", departed).put("actorsLost", actorsLost)
      .put("reportedBy", nodeId));
  }

  /** At most {@code limit} events a second. */
  private static final class PerSecond {
    private final int limit;
    private long second;
    private int taken;

    PerSecond(int limit) {
      this.limit = limit;
    }

    synchronized boolean take() {
      long now = System.currentTimeMillis() / 1000;
      if (now != second) {
        second = now;
        taken = 0;
      }
      return ++taken <= limit;
    }
  }

  private JsonObject event(String type) {
    return new JsonObject().put("type", type).put("time", System.currentTimeMillis()).put("node", nodeId);
  }

  private void onEvent(Message<JsonObject> msg) {
    JsonObject e = msg.body();
    String type = e.getString("type");
    String from = e.getString("node");
    if (from == null || from.equals(nodeId) || type == null) {
      return;
    }
    switch (type) {
      case ACTOR_STARTED:
      case ACTOR_STOPPED:
        if (!membership.liveNodes().contains(from)) {
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
        if (!directory.apply(from, e.getLong("seq", 0L), up, down)) {
          LOG.debug("directory gap for node {} at seq {}: pulling a snapshot", from, e.getLong("seq"));
          membership.pull(from);
        }
        break;
      case NODE_JOINED:
        membership.pull(from);
        break;
      default:
        break;
    }
  }
}
