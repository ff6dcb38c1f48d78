package dev.beach.impl.client;

import dev.beach.ActorHandle;
import dev.beach.ActorInfo;
import dev.beach.ActorReply;
import dev.beach.Address;
import dev.beach.BeachException;
import dev.beach.ErrorCode;
import dev.beach.HandleOptions;
import dev.beach.impl.hosting.ActorCell;
import dev.beach.impl.hosting.RequestImpl;
import dev.beach.impl.trace.TraceSpan;
import dev.beach.impl.transport.Coalescer;
import dev.beach.impl.transport.Envelope;
import dev.beach.impl.transport.Headers;
import dev.beach.impl.transport.Ids;
import dev.beach.impl.transport.Responder;
import dev.beach.impl.transport.WireValues;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.streams.ReadStream;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import io.netty.util.Timeout;

/**
 * A handle: picks an actor from the directory cache per request (random, local-first or rendezvous on the
 * key), sends straight to the hosting node's address (or hands the request to a local actor without the
 * event bus), and retries retryable failures with the same request id.
 */
final class HandleImpl implements ActorHandle {

  private static final long MAX_RETRY_DELAY_MS = 2000;

  private final Dispatch node;
  private final String realm;
  private final String category;
  private final String actorId;
  private final HandleOptions options;

  HandleImpl(Dispatch node, String realm, String category, String actorId, HandleOptions options) {
    this.node = node;
    this.realm = realm;
    this.category = category;
    this.actorId = actorId;
    this.options = options;
  }

  private HandleImpl with(HandleOptions o) {
    return new HandleImpl(node, realm, category, actorId, o);
  }

  @Override
  public String realm() {
    return realm;
  }

  @Override
  public String category() {
    return category;
  }

  @Override
  public HandleOptions options() {
    return new HandleOptions(options);
  }

  @Override
  public ActorHandle withOptions(HandleOptions o) {
    return with(new HandleOptions(o));
  }

  @Override
  public ActorHandle withTimeout(long timeoutMs) {
    return with(new HandleOptions(options).setTimeoutMs(timeoutMs));
  }

  @Override
  public ActorHandle withRetries(int retries) {
    return with(new HandleOptions(options).setRetries(retries));
  }

  @Override
  public ActorHandle random() {
    return with(new HandleOptions(options).setMode(HandleOptions.Mode.RANDOM).setKey(null));
  }

  @Override
  public ActorHandle local() {
    return with(new HandleOptions(options).setMode(HandleOptions.Mode.LOCAL).setKey(null));
  }

  @Override
  public ActorHandle affinity(String key) {
    if (key == null || key.isEmpty()) {
      throw new BeachException(ErrorCode.BAD_REQUEST, "affinity needs a non-empty key");
    }
    return with(new HandleOptions(options).setMode(HandleOptions.Mode.AFFINITY).setKey(key));
  }

  @Override
  public List<ActorInfo> actors() {
    return Arrays.asList(targets());
  }

  private ActorInfo[] targets() {
    if (actorId != null) {
      ActorInfo a = node.directory.get(actorId);
      return a == null || !a.realm().equals(realm) ? new ActorInfo[0] : new ActorInfo[]{a};
    }
    return node.directory.reach(realm, category);
  }

  private ActorInfo pick() {
    ActorInfo[] candidates = targets();
    if (candidates.length == 0) {
      return null;
    }
    if (candidates.length == 1) {
      return candidates[0];
    }
    switch (options.getMode()) {
      case AFFINITY:
        return Rendezvous.pick(options.getKey(), candidates);
      case LOCAL: {
        List<ActorInfo> local = new ArrayList<>();
        for (ActorInfo a : candidates) {
          if (a.node().equals(node.nodeId)) {
            local.add(a);
          }
        }
        if (!local.isEmpty()) {
          return nearest(local.get(ThreadLocalRandom.current().nextInt(local.size())), candidates);
        }
        return candidates[ThreadLocalRandom.current().nextInt(candidates.length)];
      }
      default:
        return nearest(candidates[ThreadLocalRandom.current().nextInt(candidates.length)], candidates);
    }
  }

  /**
   * The random pick decides the node (each node gets its share of the category's actors); among this node's
   * actors, one that answers on the caller's own thread is preferred ({@code Cells.preferInline}).
   */
  private ActorInfo nearest(ActorInfo chosen, ActorInfo[] candidates) {
    return chosen.node().equals(node.nodeId) ? node.cells.preferInline(chosen, candidates) : chosen;
  }

  private BeachException nobody() {
    if (actorId != null) {
      return new BeachException(ErrorCode.NOT_FOUND, "no actor " + actorId + " in realm '" + realm + "'")
        .locate(realm, null, actorId, null, null);
    }
    return new BeachException(ErrorCode.NO_ACTORS, "no actor in category '" + category + "' of realm '" + realm + "'")
      .locate(realm, category, null, null, null);
  }

  // ------------------------------------------------------------------ request

  @Override
  public <T> Future<T> request(String op, Object body) {
    try {
      check(op, body);
    } catch (BeachException e) {
      return Future.failedFuture(e);
    }
    // Bound to the caller's context: an actor's continuation must run on its own event loop, never on
    // the thread of whoever answered.
    Promise<T> result = CallerContext.of(node.vertx).promise();
    attempt(op, body, Ids.requestId(), 0, result, node.tracing.current());
    return result.future();
  }

  /** @param parent the trace context current when the call was made: retries run from a timer, outside it */
  private <T> void attempt(String op, Object body, String requestId, int attempt, Promise<T> result, Object parent) {
    ActorInfo target = pick();
    TraceSpan span = node.tracing.client(parent, "request", realm, category, op, target == null ? null : target.id(),
      target == null ? null : target.node(), requestId, attempt);
    Future<T> sent = target == null ? Future.failedFuture(nobody()) : send(target, op, body, requestId, span);
    sent.onComplete(ar -> {
      if (ar.succeeded()) {
        span.end(0, null);
        result.tryComplete(ar.result());
        return;
      }
      BeachException e = BeachException.from(ar.cause()).locate(realm, category, target == null ? null : target.id(),
        target == null ? null : target.node(), op);
      span.end(e.code().code(), e.getMessage());
      if (e.code().retryable() && attempt < options.getRetries() && !node.closing.getAsBoolean()) {
        long delay = Math.min(MAX_RETRY_DELAY_MS, options.getRetryDelayMs() << Math.min(attempt, 10));
        node.vertx.setTimer(Math.max(1, delay), t -> attempt(op, body, requestId, attempt + 1, result, parent));
      } else {
        result.tryFail(attempt == 0 ? e : e.withDetail("attempts", attempt + 1));
      }
    });
  }

  /** One try at one actor: in-process when it lives here, else to its node's address. */
  private <T> Future<T> send(ActorInfo target, String op, Object body, String requestId, TraceSpan span) {
    long deadline = System.currentTimeMillis() + options.getTimeoutMs();
    if (target.node().equals(node.nodeId)) {
      ActorCell cell = node.cells.get(target.id());
      if (cell == null) {
        return Future.failedFuture(new BeachException(ErrorCode.NO_ACTORS, "actor " + target.id() + " just stopped"));
      }
      Promise<T> promise = Promise.promise();
      Timeout timer = node.deadlines.after(options.getTimeoutMs(), CallerContext.of(node.vertx),
        () -> promise.tryFail(timeout(target, op)));
      cell.deliver(new RequestImpl(op, requestId, options.getIdent(), options.getKey(), deadline,
        WireValues.copy(body), new LocalResponder<>(promise, timer))
        .traced(span.traceparent(), span.tracestate()));
      return promise.future();
    }
    Coalescer coalescer = node.coalescer;
    Envelope.Frame frame = new Envelope.Frame(Envelope.REQUEST, coalescer.nextCorr(), target.id(), category, op,
      requestId, options.getIdent(), options.getKey(), deadline, body, span.traceparent(), span.tracestate());
    @SuppressWarnings("unchecked")
    Future<T> reply = (Future<T>) (Future<?>) coalescer.request(target, frame, options.getTimeoutMs());
    return reply;
  }

  private DeliveryOptions delivery(ActorInfo target, String op, String requestId, long deadline) {
    DeliveryOptions delivery = Headers.request(op, requestId, options.getIdent(), options.getKey(), deadline);
    delivery.addHeader(Headers.ACTOR, target.id());
    if (category != null) {
      delivery.addHeader(Headers.CATEGORY, category);
    }
    return delivery;
  }

  private BeachException timeout(ActorInfo target, String op) {
    return new BeachException(ErrorCode.TIMEOUT, "no reply from actor " + target.id() + " within " + options.getTimeoutMs() + " ms")
      .locate(realm, category, target.id(), target.node(), op);
  }

  private void check(String op, Object body) {
    Address.validateOp(op);
    if (!WireValues.isWireValue(body)) {
      throw new BeachException(ErrorCode.BAD_REQUEST, "request bodies must be JSON values or a Buffer, not "
        + WireValues.describe(body));
    }
  }

  // ------------------------------------------------------------------ other modes

  @Override
  public Future<Void> shoot(String op, Object body) {
    try {
      check(op, body);
    } catch (BeachException e) {
      return Future.failedFuture(e);
    }
    ActorInfo target = pick();
    if (target == null) {
      return Future.failedFuture(nobody());
    }
    String requestId = Ids.requestId();
    // A shot has no reply to wait for: its span covers the sending, the actor's span the handling.
    TraceSpan span = node.tracing.client(node.tracing.current(), "shoot", realm, category, op, target.id(),
      target.node(), requestId, 0);
    if (target.node().equals(node.nodeId)) {
      ActorCell cell = node.cells.get(target.id());
      if (cell == null) {
        BeachException e = nobody();
        span.end(e.code().code(), e.getMessage());
        return Future.failedFuture(e);
      }
      cell.deliver(new RequestImpl(op, requestId, options.getIdent(), options.getKey(), 0,
        WireValues.copy(body), LocalResponder.discarding()).traced(span.traceparent(), span.tracestate()));
      span.end(0, null);
      return Future.succeededFuture();
    }
    Coalescer coalescer = node.coalescer;
    coalescer.shoot(target, new Envelope.Frame(Envelope.SHOOT, coalescer.nextCorr(), target.id(), category, op,
      requestId, options.getIdent(), options.getKey(), 0, body, span.traceparent(), span.tracestate()));
    span.end(0, null);
    return Future.succeededFuture();
  }

  @Override
  public Future<Integer> broadcast(String op, Object body) {
    try {
      check(op, body);
    } catch (BeachException e) {
      return Future.failedFuture(e);
    }
    ActorInfo[] targets = targets();
    if (targets.length == 0) {
      return Future.failedFuture(nobody());
    }
    if (actorId != null) {
      return shoot(op, body).map(1);
    }
    // One publish: every node serving this category prefix delivers to all its local actors behind it.
    node.vertx.eventBus().publish(Address.category(realm, category), body,
      Headers.request(op, Ids.requestId(), options.getIdent(), options.getKey(), 0));
    return Future.succeededFuture(targets.length);
  }

  @Override
  public Future<List<ActorReply>> requestAll(String op, Object body) {
    try {
      check(op, body);
    } catch (BeachException e) {
      return Future.failedFuture(e);
    }
    ActorInfo[] targets = targets();
    if (targets.length == 0) {
      return Future.failedFuture(nobody());
    }
    String requestId = Ids.requestId();
    Object parent = node.tracing.current();
    List<Future<ActorReply>> replies = new ArrayList<>(targets.length);
    for (ActorInfo target : targets) {
      TraceSpan span = node.tracing.client(parent, "requestAll", realm, category, op, target.id(), target.node(),
        requestId, 0);
      replies.add(send(target, op, body, requestId, span).transform(ar -> {
        if (ar.succeeded()) {
          span.end(0, null);
          return Future.succeededFuture(ActorReply.success(target.id(), target.node(), ar.result()));
        }
        BeachException e = BeachException.from(ar.cause()).locate(realm, category, target.id(), target.node(), op);
        span.end(e.code().code(), e.getMessage());
        return Future.succeededFuture(ActorReply.failure(target.id(), target.node(), e));
      }));
    }
    return CallerContext.bound(node.vertx, Future.all(replies).map(f -> {
      List<ActorReply> out = new ArrayList<>(targets.length);
      replies.forEach(r -> out.add(r.result()));
      return out;
    }));
  }

  @Override
  public <T> ReadStream<T> requestStream(String op, Object body) {
    check(op, body);
    ActorInfo target = pick();
    String requestId = Ids.requestId();
    // The span covers opening the stream (the reader's end is the caller's); the actor's span covers producing it.
    TraceSpan span = node.tracing.client(node.tracing.current(), "requestStream", realm, category, op,
      target == null ? null : target.id(), target == null ? null : target.node(), requestId, 0);
    ReadStream<T> stream = node.streams.openReader(target, target == null ? nobody() : null, op, body,
      Headers.trace(delivery(target == null ? new ActorInfo("none", realm, "", List.of(), node.nodeId, 0, null) : target,
        op, requestId, 0), span.traceparent(), span.tracestate()), options.getTimeoutMs());
    span.end(target == null ? ErrorCode.NO_ACTORS.code() : 0, target == null ? "no actor" : null);
    return stream;
  }

  /** Completes a local caller's promise; copies the reply so caller and actor never share a body. */
  static final class LocalResponder<T> implements Responder {
    private final Promise<T> promise;
    /** Null when nobody waits for the answer. */
    private final Timeout timer;

    LocalResponder(Promise<T> promise, Timeout timer) {
      this.promise = promise;
      this.timer = timer;
    }

    static LocalResponder<Object> discarding() {
      return new LocalResponder<>(Promise.promise(), null);
    }

    @SuppressWarnings("unchecked")
    @Override
    public void reply(Object value) {
      cancelTimer();
      promise.tryComplete((T) WireValues.copy(value));
    }

    @Override
    public void fail(BeachException error) {
      cancelTimer();
      promise.tryFail(error);
    }

    private void cancelTimer() {
      if (timer != null) {
        timer.cancel();
      }
    }
  }
}
