package dev.beach.impl.hosting;

import dev.beach.BeachException;
import dev.beach.ErrorCode;
import dev.beach.ReplyStream;
import dev.beach.Request;
import dev.beach.impl.trace.TraceSpan;
import dev.beach.impl.transport.Responder;
import dev.beach.impl.transport.StreamOwner;
import dev.beach.impl.transport.WireValues;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/** A request on its way through an actor's mailbox, answered exactly once through its {@link Responder}. */
public final class RequestImpl implements Request, StreamOwner {

  private static final AtomicIntegerFieldUpdater<RequestImpl> ANSWERED =
    AtomicIntegerFieldUpdater.newUpdater(RequestImpl.class, "answered");

  private final String op;
  private final String id;
  private final String ident;
  private final String key;
  private final long deadline;
  private final Object body;
  private final Responder responder;
  private ActorCell cell;
  private String traceparent;
  private String tracestate;
  /** The server span around the handler: {@link TraceSpan#NONE} unless tracing is on. */
  private TraceSpan span = TraceSpan.NONE;
  private long startedNanos;
  private boolean started;
  private volatile int answered;

  public RequestImpl(String op, String id, String ident, String key, long deadline, Object body, Responder responder) {
    this.op = op;
    this.id = id;
    this.ident = ident;
    this.key = key;
    this.deadline = deadline;
    this.body = body;
    this.responder = responder;
  }

  /** The caller's W3C trace context (both null when the caller is not traced). */
  public RequestImpl traced(String traceparent, String tracestate) {
    this.traceparent = traceparent;
    this.tracestate = tracestate;
    return this;
  }

  String traceparent() {
    return traceparent;
  }

  String tracestate() {
    return tracestate;
  }

  void span(TraceSpan span) {
    this.span = span;
  }

  TraceSpan span() {
    return span;
  }

  void bind(ActorCell cell) {
    this.cell = cell;
  }

  @Override
  public void runOnActor(Runnable task) {
    ContextInternal ctx = cell == null ? null : cell.context();
    if (ctx == null) {
      task.run();
    } else {
      ctx.runOnContext(v -> task.run());
    }
  }

  void markStarted() {
    started = true;
    startedNanos = System.nanoTime();
  }

  long startedNanos() {
    return startedNanos;
  }

  @Override
  public String op() {
    return op == null ? "" : op;
  }

  @SuppressWarnings("unchecked")
  @Override
  public <T> T body() {
    return (T) body;
  }

  @Override
  public JsonObject json() {
    if (body instanceof JsonObject) {
      return (JsonObject) body;
    }
    if (body == null) {
      return new JsonObject();
    }
    throw new BeachException(ErrorCode.BAD_REQUEST, "op '" + op + "' expects a JSON object body, got "
      + WireValues.describe(body));
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String ident() {
    return ident;
  }

  @Override
  public String key() {
    return key;
  }

  @Override
  public long deadline() {
    return deadline;
  }

  @Override
  public boolean answered() {
    return answered != 0;
  }

  @Override
  public void reply(Object value) {
    if (!WireValues.isWireValue(value)) {
      fail(new BeachException(ErrorCode.ACTOR_FAILED, "op '" + op + "' replied with " + WireValues.describe(value)
        + ": replies must be JSON values (JsonObject, JsonArray, String, Number, Boolean, null) or a Buffer"));
      return;
    }
    if (ANSWERED.compareAndSet(this, 0, 1)) {
      // Count first: a caller that reads stats right after its reply must see this request counted.
      done(null);
      responder.reply(value);
    }
  }

  @Override
  public void fail(ErrorCode code, String message) {
    fail(new BeachException(code, message));
  }

  @Override
  public void fail(Throwable cause) {
    if (ANSWERED.compareAndSet(this, 0, 1)) {
      BeachException error = locate(BeachException.from(cause));
      done(error);
      responder.fail(error);
    }
  }

  @Override
  public ReplyStream stream() {
    if (answered()) {
      throw new IllegalStateException("request " + id + " was already answered");
    }
    return responder.openStream(this);
  }

  /** Ends a streamed answer: counts as the reply for the mailbox. */
  @Override
  public void streamEnded(BeachException error) {
    if (ANSWERED.compareAndSet(this, 0, 1)) {
      done(error);
    }
  }

  /** Fails a request that never reached a handler (full mailbox, stopped actor, expired). */
  void failInternal(BeachException error) {
    if (ANSWERED.compareAndSet(this, 0, 1)) {
      responder.fail(locate(error));
    }
  }

  private void done(BeachException error) {
    if (started && cell != null) {
      cell.completed(this, error);
    }
  }

  private BeachException locate(BeachException e) {
    if (cell == null) {
      return e.locate(null, null, null, null, op);
    }
    return e.locate(cell.realm(), String.join(",", cell.categories()), cell.id(), cell.info().node(), op);
  }
}
