package dev.beach.impl;

import dev.beach.BeachException;
import dev.beach.ErrorCode;
import dev.beach.ReplyStream;
import dev.beach.Request;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/** A request on its way through an actor's mailbox, answered exactly once through its {@link Responder}. */
final class RequestImpl implements Request {

  /** Where the answer goes: an event-bus message, or a local promise. */
  interface Responder {
    void reply(Object value);

    void fail(BeachException error);

    /** The stream to write a streamed answer to, or a failure when the caller did not ask for one. */
    default ReplyStream openStream(RequestImpl request) {
      throw new BeachException(ErrorCode.BAD_REQUEST,
        "op '" + request.op() + "' answers with a stream: call it with requestStream");
    }
  }

  private static final AtomicIntegerFieldUpdater<RequestImpl> ANSWERED =
    AtomicIntegerFieldUpdater.newUpdater(RequestImpl.class, "answered");

  private final String op;
  private final String id;
  private final String ident;
  private final String key;
  private final long deadline;
  private final Object body;
  private final Responder responder;
  final MultiMap headers;
  private ActorCell cell;
  private long startedNanos;
  private boolean started;
  private volatile int answered;

  RequestImpl(String op, String id, String ident, String key, long deadline, Object body, Responder responder,
              MultiMap headers) {
    this.op = op;
    this.id = id;
    this.ident = ident;
    this.key = key;
    this.deadline = deadline;
    this.body = body;
    this.responder = responder;
    this.headers = headers;
  }

  static RequestImpl fromMessage(Message<Object> msg, Responder responder) {
    MultiMap h = msg.headers();
    return new RequestImpl(h.get(Headers.OP), h.get(Headers.ID), h.get(Headers.IDENT), h.get(Headers.KEY),
      Headers.parseLong(h.get(Headers.DEADLINE)), msg.body(), responder, h);
  }

  void bind(ActorCell cell) {
    this.cell = cell;
  }

  ActorCell cell() {
    return cell;
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
      + Values.describe(body));
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
    if (!Values.isWireValue(value)) {
      fail(new BeachException(ErrorCode.ACTOR_FAILED, "op '" + op + "' replied with " + Values.describe(value)
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
  void streamEnded(BeachException error) {
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

  /** What may cross the event bus as a body: Vert.x's built-in JSON codecs, never Java serialization. */
  static final class Values {
    private Values() {
    }

    static boolean isWireValue(Object v) {
      return v == null || v instanceof JsonObject || v instanceof JsonArray || v instanceof String
        || v instanceof Buffer || v instanceof Integer || v instanceof Long || v instanceof Double
        || v instanceof Float || v instanceof Boolean || v instanceof Short || v instanceof Byte;
    }

    static String describe(Object v) {
      return v == null ? "null" : "a " + v.getClass().getSimpleName();
    }

    /** A copy for local delivery, so sender and receiver never share a mutable body. */
    static Object copy(Object v) {
      if (v instanceof JsonObject) {
        return ((JsonObject) v).copy();
      }
      if (v instanceof JsonArray) {
        return ((JsonArray) v).copy();
      }
      if (v instanceof Buffer) {
        return ((Buffer) v).copy();
      }
      return v;
    }
  }
}
