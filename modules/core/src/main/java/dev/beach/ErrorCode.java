package dev.beach;

/**
 * Typed failure codes. Each is the HTTP status the gateway answers with, 1:1, and the
 * {@link io.vertx.core.eventbus.ReplyException#failureCode()} on the event bus (DESIGN.md "Wire format").
 */
public enum ErrorCode {
  BAD_REQUEST(400),
  UNAUTHORIZED(401),
  FORBIDDEN(403),
  /** Unknown realm, class, op or actor. */
  NOT_FOUND(404),
  CONFLICT(409),
  TOO_LARGE(413),
  /** A mailbox is full: the request was refused, not dropped. */
  OVERLOADED(429),
  /** A handler threw or failed; details carry the stack. */
  ACTOR_FAILED(500),
  /** No actor (or node) can take the request: empty category, node gone, placement impossible. */
  NO_ACTORS(503),
  TIMEOUT(504);

  private final int code;

  ErrorCode(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** Whether a request failing with this code may be sent again with the same id. */
  public boolean retryable() {
    return this == NO_ACTORS || this == TIMEOUT;
  }

  /** The code for an HTTP status or failure code; unknown values map to {@link #ACTOR_FAILED}. */
  public static ErrorCode of(int code) {
    for (ErrorCode c : values()) {
      if (c.code == code) {
        return c;
      }
    }
    return ACTOR_FAILED;
  }
}
