package dev.beach;

import io.vertx.core.json.JsonObject;

/**
 * One request as an actor's handler sees it. Answer it exactly once with {@link #reply} or {@link #fail}
 * (now or later, from any thread); until then it counts as pending in the actor's mailbox. A handler that
 * throws answers {@link ErrorCode#ACTOR_FAILED} with the stack in the details.
 */
public interface Request {

  /** The request type, e.g. {@code "echo"}. */
  String op();

  /** The body: a {@link JsonObject}, a {@link io.vertx.core.buffer.Buffer}, another JSON value or null. */
  <T> T body();

  /** The body as JSON; fails with {@link ErrorCode#BAD_REQUEST} when it is something else. */
  JsonObject json();

  /** The request id: the same across the caller's retries, so a handler can make its effect idempotent. */
  String id();

  /** The caller's identity, when it gave one. */
  String ident();

  /** The affinity key, when the caller gave one. */
  String key();

  /** Epoch milliseconds after which nobody waits for the answer; 0 when unknown. */
  long deadline();

  /** Whether {@link #reply} or {@link #fail} was already called. */
  boolean answered();

  /** Answers with a JSON value, a {@code Buffer}, or null. */
  void reply(Object value);

  /** Answers with a typed failure. */
  void fail(ErrorCode code, String message);

  /** Answers with a failure; a {@link BeachException} keeps its code, anything else is 500 with the stack. */
  void fail(Throwable cause);

  /**
   * Switches this request to a streamed answer (splice.io's generator actors): items written to the returned
   * stream reach the caller's {@code ReadStream} in order, with back-pressure ({@code writeQueueFull()} and a
   * drain handler). End it with {@code end()}; a failure ends it with an error.
   */
  ReplyStream stream();
}
