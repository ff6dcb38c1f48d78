package dev.beach;

import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * A typed Beach failure. It travels the event bus as a {@link ReplyException} whose failure code is the
 * {@link ErrorCode} and whose message is JSON {@code {code, message, realm, category, actor, node, op, details}},
 * so any Vert.x client, in any language on the bridge, can read it without Java serialization.
 */
public final class BeachException extends ReplyException {

  private final ErrorCode code;
  private final String realm;
  private final String category;
  private final String actor;
  private final String node;
  private final String op;
  private final JsonObject details;

  public BeachException(ErrorCode code, String message) {
    this(code, message, null, null, null, null, null, null);
  }

  public BeachException(ErrorCode code, String message, String realm, String category, String actor,
                        String node, String op, JsonObject details) {
    super(ReplyFailure.RECIPIENT_FAILURE, code.code(), message);
    this.code = code;
    this.realm = realm;
    this.category = category;
    this.actor = actor;
    this.node = node;
    this.op = op;
    this.details = details == null ? new JsonObject() : details;
  }

  /** A failed future carrying a new exception, the way {@code ServiceException.fail} does. */
  public static <T> Future<T> fail(ErrorCode code, String message) {
    return Future.failedFuture(new BeachException(code, message));
  }

  public ErrorCode code() {
    return code;
  }

  public String realm() {
    return realm;
  }

  public String category() {
    return category;
  }

  public String actor() {
    return actor;
  }

  public String node() {
    return node;
  }

  public String op() {
    return op;
  }

  public JsonObject details() {
    return details;
  }

  /** A copy with the location fields that are still unset filled in. */
  public BeachException locate(String realm, String category, String actor, String node, String op) {
    return new BeachException(code, getMessage(),
      this.realm != null ? this.realm : realm,
      this.category != null ? this.category : category,
      this.actor != null ? this.actor : actor,
      this.node != null ? this.node : node,
      this.op != null ? this.op : op,
      details);
  }

  public BeachException withDetail(String key, Object value) {
    JsonObject d = details.copy().put(key, value);
    return new BeachException(code, getMessage(), realm, category, actor, node, op, d);
  }

  /** {@code {code, message, realm?, category?, actor?, node?, op?, details}}; unset fields are omitted. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("code", code.code()).put("message", getMessage());
    putIfSet(json, "realm", realm);
    putIfSet(json, "category", category);
    putIfSet(json, "actor", actor);
    putIfSet(json, "node", node);
    putIfSet(json, "op", op);
    return json.put("details", details);
  }

  /**
   * Reads the JSON form back, whatever a peer put in it: a field of the wrong type is read as text (or, for
   * {@code code} and {@code details}, as absent), never a {@link ClassCastException} where a failure was due.
   */
  public static BeachException fromJson(JsonObject json) {
    Object code = json.getValue("code");
    Object details = json.getValue("details");
    return new BeachException(ErrorCode.of(code instanceof Number ? ((Number) code).intValue() : 500),
      text(json, "message", ""), text(json, "realm", null), text(json, "category", null), text(json, "actor", null),
      text(json, "node", null), text(json, "op", null), details instanceof JsonObject ? (JsonObject) details : null);
  }

  private static String text(JsonObject json, String key, String absent) {
    Object v = json.getValue(key);
    return v == null ? absent : v instanceof String ? (String) v : String.valueOf(v);
  }

  /** The text sent as a {@code ReplyException} message: the JSON form. */
  public String wireMessage() {
    return toJson().encode();
  }

  /**
   * Any failure as a Beach failure: ours pass through, event-bus failures map to their codes
   * (no handlers → 503, timeout → 504), JSON-encoded reply messages are decoded, anything else is 500.
   */
  public static BeachException from(Throwable t) {
    if (t instanceof BeachException) {
      return (BeachException) t;
    }
    if (t instanceof ReplyException) {
      ReplyException re = (ReplyException) t;
      switch (re.failureType()) {
        case NO_HANDLERS:
          return new BeachException(ErrorCode.NO_ACTORS, "no actor is listening: " + re.getMessage());
        case TIMEOUT:
          return new BeachException(ErrorCode.TIMEOUT, "no reply in time: " + re.getMessage());
        default:
          String msg = re.getMessage();
          if (msg != null && msg.startsWith("{")) {
            try {
              return fromJson(new JsonObject(msg));
            } catch (DecodeException ignored) {
              // a plain message that happens to start with a brace
            }
          }
          return new BeachException(ErrorCode.of(re.failureCode()), msg == null ? "failed" : msg);
      }
    }
    String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getClass().getSimpleName() + ": " + t.getMessage();
    return new BeachException(ErrorCode.ACTOR_FAILED, message, null, null, null, null, null,
      new JsonObject().put("exception", t.getClass().getName()).put("stack", stackOf(t)));
  }

  static String stackOf(Throwable t) {
    StringWriter out = new StringWriter();
    t.printStackTrace(new PrintWriter(out));
    String s = out.toString();
    return s.length() <= 8192 ? s : s.substring(0, 8192) + "\n\t...";
  }

  private static void putIfSet(JsonObject json, String key, String value) {
    if (value != null) {
      json.put(key, value);
    }
  }

  @Override
  public String toString() {
    return "BeachException" + toJson().encode();
  }
}
