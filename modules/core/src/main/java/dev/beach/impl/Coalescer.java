package dev.beach.impl;

import dev.beach.BeachException;
import dev.beach.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Coalesces small messages between a pair of nodes. The first request (or reply) to a node in an
 * event-loop turn leaves at once as a plain message; the others sent to that node in the same turn leave
 * together as one {@link Envelope} at the end of the turn. Each event-bus message costs more than a small body, so under
 * load this carries several requests for the price of one; at one request in flight it adds no wait.
 * <p>
 * Replies are correlated by a number per sent request (not the request id, which retries and
 * {@code requestAll} reuse); timeouts and node loss fail the caller's promise as with plain messages.
 */
final class Coalescer {

  /** Flush at once past this many frames, so one busy turn cannot build an unbounded envelope. */
  private static final int MAX_FRAMES = 256;

  private final NodeRuntime node;
  private final AtomicLong corrSeq = new AtomicLong();
  private final ConcurrentHashMap<Long, Pending> pending = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Outbox> outboxes = new ConcurrentHashMap<>();
  private final DeliveryOptions delivery = new DeliveryOptions().setCodecName(Envelope.Codec.NAME);

  private static final class Pending {
    final Promise<Object> promise;
    final String nodeId;
    long timer;

    Pending(Promise<Object> promise, String nodeId) {
      this.promise = promise;
      this.nodeId = nodeId;
    }
  }

  private static final class Outbox {
    final ConcurrentLinkedQueue<Envelope.Frame> queue = new ConcurrentLinkedQueue<>();
    final AtomicInteger size = new AtomicInteger();
    final AtomicBoolean scheduled = new AtomicBoolean();
  }

  Coalescer(NodeRuntime node) {
    this.node = node;
  }

  /**
   * Sends a request to {@code targetNode}; completes with the reply body or the typed failure. The first
   * request of a turn goes as a plain event-bus request to {@code plainAddress} (the actor's lane: handled on
   * the actor's own loop, and its reply reaches the caller's context directly, the lowest latency at one in
   * flight); the others of the same turn ride in one envelope to the node.
   */
  Future<Object> request(String targetNode, String plainAddress, Envelope.Frame request, long timeoutMs) {
    Promise<Object> promise = Promise.promise();
    long corr = request.corr;
    Pending p = new Pending(promise, targetNode);
    pending.put(corr, p);
    Outbox box = outboxes.computeIfAbsent(targetNode, n -> new Outbox());
    if (startTurn(targetNode, box)) {
      node.vertx().eventBus().request(plainAddress, request.body, plain(request).setSendTimeout(timeoutMs))
        .onComplete(ar -> {
          pending.remove(corr);
          if (ar.succeeded()) {
            promise.tryComplete(ar.result().body());
          } else {
            promise.tryFail(ar.cause());
          }
        });
      return promise.future();
    }
    p.timer = node.vertx().setTimer(timeoutMs, t -> {
      Pending gone = pending.remove(corr);
      if (gone != null) {
        gone.promise.tryFail(new BeachException(ErrorCode.TIMEOUT, "no reply from actor " + request.actor
          + " within " + timeoutMs + " ms"));
      }
    });
    add(targetNode, box, request);
    return promise.future();
  }

  long nextCorr() {
    return corrSeq.incrementAndGet();
  }

  void shoot(String targetNode, String plainAddress, Envelope.Frame frame) {
    Outbox box = outboxes.computeIfAbsent(targetNode, n -> new Outbox());
    if (startTurn(targetNode, box)) {
      node.vertx().eventBus().send(plainAddress, frame.body, plain(frame));
    } else {
      add(targetNode, box, frame);
    }
  }

  /** A reply to a request that came in an envelope: the first of a turn leaves at once, alone. */
  private void reply(String callerNode, Envelope.Frame frame) {
    Outbox box = outboxes.computeIfAbsent(callerNode, n -> new Outbox());
    if (startTurn(callerNode, box)) {
      send(callerNode, List.of(frame));
    } else {
      add(callerNode, box, frame);
    }
  }

  /**
   * True for the first frame to {@code targetNode} in this turn (which then goes at once); schedules the
   * end-of-turn flush, on the sender's own loop, for whatever else this turn sends there.
   */
  private boolean startTurn(String targetNode, Outbox box) {
    if (!box.scheduled.compareAndSet(false, true)) {
      return false;
    }
    ContextInternal ctx = node.callerContext();
    ctx.runOnContext(v -> {
      box.scheduled.set(false);
      flush(targetNode, box);
    });
    return true;
  }

  private void add(String targetNode, Outbox box, Envelope.Frame frame) {
    box.queue.add(frame);
    if (box.size.incrementAndGet() >= MAX_FRAMES) {
      flush(targetNode, box);
    }
  }

  /** The wire-format headers of a request sent as a plain message. */
  private static DeliveryOptions plain(Envelope.Frame f) {
    DeliveryOptions d = Headers.request(f.op, f.id, f.ident, f.key, f.deadline);
    d.addHeader(Headers.ACTOR, f.actor);
    if (f.category != null) {
      d.addHeader(Headers.CATEGORY, f.category);
    }
    return d;
  }

  private void flush(String targetNode, Outbox box) {
    List<Envelope.Frame> frames = new ArrayList<>();
    Envelope.Frame f;
    while ((f = box.queue.poll()) != null) {
      box.size.decrementAndGet();
      frames.add(f);
    }
    if (!frames.isEmpty()) {
      send(targetNode, frames);
    }
  }

  private void send(String targetNode, List<Envelope.Frame> frames) {
    node.vertx().eventBus().send(node.addressOf(targetNode), new Envelope(node.id(), frames), delivery);
  }

  /** An envelope arrived at this node: requests go to local actors, replies to their waiting callers. */
  void onEnvelope(Message<Object> msg) {
    Envelope e = (Envelope) msg.body();
    for (Envelope.Frame f : e.frames) {
      switch (f.kind) {
        case Envelope.REQUEST:
        case Envelope.SHOOT:
          node.routes().deliverFrame(e.from, f);
          break;
        case Envelope.OK:
        case Envelope.FAIL: {
          Pending p = pending.remove(f.corr);
          if (p != null) {
            if (p.timer != 0) {
              node.vertx().cancelTimer(p.timer);
            }
            if (f.kind == Envelope.OK) {
              p.promise.tryComplete(f.body);
            } else {
              p.promise.tryFail(BeachException.fromJson(new JsonObject((String) f.body)));
            }
          }
          break;
        }
        default:
          break;
      }
    }
  }

  /** The responder of a request that arrived in an envelope: its answer goes back the same way. */
  RequestImpl.Responder responder(String callerNode, long corr, boolean wantsReply) {
    return new RequestImpl.Responder() {
      @Override
      public void reply(Object value) {
        if (wantsReply) {
          Coalescer.this.reply(callerNode, Envelope.Frame.reply(corr, value));
        }
      }

      @Override
      public void fail(BeachException error) {
        if (wantsReply) {
          Coalescer.this.reply(callerNode, Envelope.Frame.failure(corr, error.wireMessage()));
        }
      }
    };
  }

  /** Requests waiting on a departed node fail now; frames queued for it are dropped with them. */
  void nodeLost(String nodeId) {
    Outbox box = outboxes.remove(nodeId);
    if (box != null) {
      box.queue.clear();
    }
    BeachException e = new BeachException(ErrorCode.NO_ACTORS, "node " + nodeId + " left the cluster while the request was in flight")
      .locate(null, null, null, nodeId, null);
    pending.entrySet().removeIf(entry -> {
      if (nodeId.equals(entry.getValue().nodeId)) {
        if (entry.getValue().timer != 0) {
          node.vertx().cancelTimer(entry.getValue().timer);
        }
        entry.getValue().promise.tryFail(e);
        return true;
      }
      return false;
    });
  }

  void close() {
    BeachException e = new BeachException(ErrorCode.NO_ACTORS, "node " + node.id() + " stopped");
    pending.values().forEach(p -> p.promise.tryFail(e));
    pending.clear();
  }
}
