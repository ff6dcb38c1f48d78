package dev.beach.impl.transport;

import dev.beach.ActorInfo;
import dev.beach.BeachException;
import dev.beach.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Carries actor requests and replies between nodes, coalescing small ones. The first frame to a peer in an
 * event-loop turn leaves at once; the others sent there in the same turn leave together as one
 * {@link Envelope} at the end of the turn. Under load this carries several requests for the price of one
 * message; at one request in flight it adds no wait.
 * <p>
 * Two ways to a peer: its direct {@link NodeLink} for the caller's loop and the actor's lane when
 * {@link NodeLinks} has one open (no event-bus hops, the lowest latency), else the clustered event bus, where
 * the first request of a turn goes as a plain message to the actor's lane address. Replies go back the way
 * their request came. Replies are correlated by a number per sent request (not the request id, which
 * retries and {@code requestAll} reuse); timeouts, a lost link and node loss fail the caller's promise.
 * <p>
 * A reply completes its request only when it comes the way the request went: on the very link the request was
 * written to, or on the event bus in an envelope from the node the request was sent to (the bus is also how a
 * reply too large for a link returns). Anything else, say a reply for another link's request sent by an
 * authenticated peer, or a bus envelope from a third node, is dropped and counted ({@link #strayReplies()}).
 * Correlation numbers are unpredictable 64-bit values (a per-thread AES-CTR keystream seeded from
 * {@code SecureRandom}, {@link Ids#corr()}), not a counter, so a sender who sees none of this node's traffic
 * cannot name a request waiting here.
 */
public final class Coalescer {

  /** Flush at once past this many frames, so one busy turn cannot build an unbounded envelope. */
  private static final int MAX_FRAMES = 256;
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Coalescer.class);

  private final VertxInternal vertx;
  private final String nodeId;
  private final NodeLinks links;
  private final NodeAddresses addresses;
  private final InboundRequests inbound;
  private final java.util.concurrent.atomic.LongAdder strayReplies = new java.util.concurrent.atomic.LongAdder();
  private final AtomicBoolean strayLogged = new AtomicBoolean();
  private final ConcurrentHashMap<Long, Pending> pending = new ConcurrentHashMap<>();
  private final Deadlines deadlines;
  private final ConcurrentHashMap<String, Outbox> busOutboxes = new ConcurrentHashMap<>();
  private final DeliveryOptions delivery = new DeliveryOptions().setCodecName(Envelope.Codec.NAME);

  private static final class Pending {
    final Promise<Object> promise;
    final String nodeId;
    volatile NodeLink link;
    /** Armed after the request joins the pending map, so a reply may beat it: then it fires and finds nothing. */
    volatile io.netty.util.Timeout timer;

    Pending(Promise<Object> promise, String nodeId) {
      this.promise = promise;
      this.nodeId = nodeId;
    }
  }

  /** Frames waiting for the end of the turn, and where they then go. */
  static final class Outbox {
    final ConcurrentLinkedQueue<Envelope.Frame> queue = new ConcurrentLinkedQueue<>();
    final AtomicInteger size = new AtomicInteger();
    final AtomicBoolean scheduled = new AtomicBoolean();
    final Consumer<List<Envelope.Frame>> sink;

    Outbox(Consumer<List<Envelope.Frame>> sink) {
      this.sink = sink;
    }
  }

  public Coalescer(VertxInternal vertx, String nodeId, NodeLinks links, NodeAddresses addresses, InboundRequests inbound,
                   Deadlines deadlines) {
    this.vertx = vertx;
    this.deadlines = deadlines;
    this.nodeId = nodeId;
    this.links = links;
    this.addresses = addresses;
    this.inbound = inbound;
  }

  /**
   * Sends a request to {@code target}'s node; completes with the reply body or the typed failure. With a
   * link open it travels there; otherwise the first request of a turn goes as a plain event-bus request to
   * {@code target}'s lane (handled on the actor's own loop, its reply reaching the caller's context directly),
   * and the others of the same turn ride in one envelope to the node.
   */
  public Future<Object> request(ActorInfo target, Envelope.Frame request, long timeoutMs) {
    Promise<Object> promise = Promise.promise();
    String targetNode = target.node();
    long corr = request.corr;
    Pending p = new Pending(promise, targetNode);
    pending.put(corr, p);
    NodeLink link = links.outbound(targetNode, target.lane());
    if (link == null) {
      Outbox box = busOutbox(targetNode);
      if (startTurn(box)) {
        vertx.eventBus().request(addresses.of(target), request.body, plain(request).setSendTimeout(timeoutMs))
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
      p.timer = timeoutTimer(corr, request, timeoutMs);
      add(box, request);
      return promise.future();
    }
    p.link = link;
    p.timer = timeoutTimer(corr, request, timeoutMs);
    if (link.isClosed()) {
      // Closed between the pick and now: its close may have swept the pending map before we joined it.
      failPending(corr, linkLost(link));
      return promise.future();
    }
    send(link.outbox, request);
    return promise.future();
  }

  private io.netty.util.Timeout timeoutTimer(long corr, Envelope.Frame request, long timeoutMs) {
    return deadlines.after(timeoutMs, vertx.getOrCreateContext(), () -> failPending(corr, new BeachException(ErrorCode.TIMEOUT,
      "no reply from actor " + request.actor + " within " + timeoutMs + " ms")));
  }

  private void failPending(long corr, BeachException e) {
    Pending gone = pending.remove(corr);
    if (gone != null) {
      fail(gone, e);
    }
  }

  /** Fails (with {@code e}) and forgets every waiting request {@code which} selects. */
  private void failPending(java.util.function.Predicate<Pending> which, BeachException e) {
    pending.values().removeIf(p -> {
      if (which.test(p)) {
        fail(p, e);
        return true;
      }
      return false;
    });
  }

  private void fail(Pending p, BeachException e) {
    cancelTimer(p);
    p.promise.tryFail(e);
  }

  private static void cancelTimer(Pending p) {
    io.netty.util.Timeout timer = p.timer;
    if (timer != null) {
      timer.cancel();
    }
  }

  /** A fresh correlation number for one request: random, see the class comment. */
  public long nextCorr() {
    return Ids.corr();
  }

  /** Replies dropped because they came another way than their request went (see the class comment). */
  public long strayReplies() {
    return strayReplies.sum();
  }

  public void shoot(ActorInfo target, Envelope.Frame frame) {
    NodeLink link = links.outbound(target.node(), target.lane());
    if (link != null) {
      send(link.outbox, frame);
      return;
    }
    Outbox box = busOutbox(target.node());
    if (startTurn(box)) {
      vertx.eventBus().send(addresses.of(target), frame.body, plain(frame));
    } else {
      add(box, frame);
    }
  }

  /** The first frame of a turn leaves at once, alone; later ones wait for the end of the turn. */
  private void send(Outbox box, Envelope.Frame frame) {
    if (startTurn(box)) {
      box.sink.accept(List.of(frame));
    } else {
      add(box, frame);
    }
  }

  /**
   * True for the first frame to {@code box} in this turn (which then goes at once); schedules the
   * end-of-turn flush, on the sender's own loop, for whatever else this turn sends there.
   */
  private boolean startTurn(Outbox box) {
    if (!box.scheduled.compareAndSet(false, true)) {
      return false;
    }
    ContextInternal ctx = vertx.getOrCreateContext();
    ctx.runOnContext(v -> {
      box.scheduled.set(false);
      flush(box);
    });
    return true;
  }

  private void add(Outbox box, Envelope.Frame frame) {
    box.queue.add(frame);
    if (box.size.incrementAndGet() >= MAX_FRAMES) {
      flush(box);
    } else {
      // The turn's flush may have run between the sender's failed startTurn and this add (a sender off the loop,
      // descheduled in between): then nothing would send this frame until the next one. Make sure a flush follows.
      startTurn(box);
    }
  }

  /** The wire-format headers of a request sent as a plain message. */
  private static DeliveryOptions plain(Envelope.Frame f) {
    DeliveryOptions d = Headers.trace(Headers.request(f.op, f.id, f.ident, f.key, f.deadline), f.traceparent,
      f.tracestate);
    d.addHeader(Headers.ACTOR, f.actor);
    if (f.category != null) {
      d.addHeader(Headers.CATEGORY, f.category);
    }
    return d;
  }

  private void flush(Outbox box) {
    List<Envelope.Frame> frames = new ArrayList<>();
    Envelope.Frame f;
    while ((f = box.queue.poll()) != null) {
      box.size.decrementAndGet();
      frames.add(f);
    }
    if (!frames.isEmpty()) {
      box.sink.accept(frames);
    }
  }

  private Outbox busOutbox(String peer) {
    return busOutboxes.computeIfAbsent(peer, n -> new Outbox(frames ->
      vertx.eventBus().send(addresses.of(n), new Envelope(nodeId, frames), delivery)));
  }

  /**
   * The outbox of {@code link}. Frames that cannot take it take the event bus: those too large for a link
   * always; on a closed link, replies (the caller may still listen on the bus) but not requests, which the
   * link's close has failed already so that their callers retry.
   */
  Outbox linkOutbox(NodeLink link) {
    return new Outbox(frames -> {
      if (link.write(new Envelope(nodeId, frames))) {
        links.sent(frames.size());
      } else if (link.peerNode() != null && (!link.isClosed() || !link.isOutbound())) {
        busOutbox(link.peerNode()).sink.accept(frames);
      }
    });
  }

  /** An envelope arrived on the event bus: requests go to local actors, replies to their waiting callers. */
  public void onEnvelope(Message<Object> msg) {
    Envelope e = (Envelope) msg.body();
    onEnvelope(e, busOutbox(e.from), null);
  }

  /**
   * An envelope arrived, on link {@code via} or (null) the bus; the answers to its requests go to {@code replies}.
   */
  void onEnvelope(Envelope e, Outbox replies, NodeLink via) {
    for (Envelope.Frame f : e.frames) {
      switch (f.kind) {
        case Envelope.REQUEST:
        case Envelope.SHOOT:
          if (replies != null) {
            inbound.deliver(f, responder(replies, f.corr, f.kind == Envelope.REQUEST));
          }
          break;
        case Envelope.OK:
        case Envelope.FAIL: {
          Pending p = pending.get(f.corr);
          if (p != null && !cameTheWayItWent(p, e, via)) {
            stray(p, e, via);
          } else if (p != null && pending.remove(f.corr, p)) {
            cancelTimer(p);
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

  /** On the link the request was written to; or on the bus, from the node it was sent to. */
  private static boolean cameTheWayItWent(Pending p, Envelope e, NodeLink via) {
    return via != null ? p.link == via : p.nodeId.equals(e.from);
  }

  private void stray(Pending p, Envelope e, NodeLink via) {
    strayReplies.increment();
    String how = via != null ? via.toString() : "the event bus from node " + e.from;
    if (strayLogged.compareAndSet(false, true)) {
      LOG.warn("dropped a reply that came on {}, for a request that went to node {}{}: a forged reply, or a bug"
        + " (further ones are logged at DEBUG)", how, p.nodeId, p.link != null ? " on " + p.link : " on the bus");
    } else {
      LOG.debug("dropped a reply that came on {}, for a request that went to node {}", how, p.nodeId);
    }
  }

  /** The responder of a request that arrived in an envelope: its answer goes back the same way. */
  private Responder responder(Outbox replies, long corr, boolean wantsReply) {
    return new Responder() {
      @Override
      public void reply(Object value) {
        if (wantsReply) {
          send(replies, Envelope.Frame.reply(corr, value));
        }
      }

      @Override
      public void fail(BeachException error) {
        if (wantsReply) {
          send(replies, Envelope.Frame.failure(corr, error.wireMessage()));
        }
      }
    };
  }

  private static BeachException linkLost(NodeLink link) {
    return new BeachException(ErrorCode.NO_ACTORS, "the link to node " + link.peerNode()
      + " closed while the request was in flight").locate(null, null, null, link.peerNode(), null);
  }

  /** Requests sent on a link that closed fail now (503, retryable: a handle's retry takes another way). */
  void linkClosed(NodeLink link) {
    failPending(p -> p.link == link, linkLost(link));
  }

  /** The links that requests wait on now (an idle link with a request waiting is not idle). */
  java.util.Set<NodeLink> linksInUse() {
    java.util.Set<NodeLink> out = new java.util.HashSet<>();
    for (Pending p : pending.values()) {
      if (p.link != null) {
        out.add(p.link);
      }
    }
    return out;
  }

  /** Requests waiting on a departed node fail now; frames queued for it are dropped with them. */
  public void nodeLost(String departed) {
    Outbox box = busOutboxes.remove(departed);
    if (box != null) {
      box.queue.clear();
    }
    failPending(p -> departed.equals(p.nodeId), new BeachException(ErrorCode.NO_ACTORS,
      "node " + departed + " left the cluster while the request was in flight").locate(null, null, null, departed, null));
  }

  public void close() {
    failPending(p -> true, new BeachException(ErrorCode.NO_ACTORS, "node " + nodeId + " stopped"));
  }
}
