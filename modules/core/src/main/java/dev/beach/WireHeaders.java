package dev.beach;

/**
 * The event-bus header names of a Beach request (DESIGN.md "Wire format"), for plain Vert.x callers that send
 * to {@code beach.<realm>.<category>} themselves:
 * <pre>{@code
 * vertx.eventBus().request(Address.category("demo", "greeter"), new JsonObject().put("name", "Ada"),
 *   new DeliveryOptions().addHeader(WireHeaders.OP, "greet").addHeader(WireHeaders.DEADLINE,
 *     Long.toString(System.currentTimeMillis() + 5_000)));
 * }</pre>
 * A failure comes back as a {@link io.vertx.core.eventbus.ReplyException} whose {@code failureCode()} is an
 * {@link ErrorCode} and whose message is the JSON of a {@link BeachException}.
 */
public final class WireHeaders {

  /** The operation: which of the actor's handlers answers. Required. */
  public static final String OP = "op";
  /** The request id, stable across retries so a handler can de-duplicate. Optional: the node makes none up. */
  public static final String ID = "id";
  /** The caller's identity, passed through to the handler ({@link Request#ident()}). Optional. */
  public static final String IDENT = "ident";
  /** The affinity key ({@link Request#key()}). Optional. */
  public static final String KEY = "key";
  /** Epoch milliseconds after which the caller no longer waits: a request still queued then is not run. */
  public static final String DEADLINE = "deadline";

  private WireHeaders() {
  }
}
