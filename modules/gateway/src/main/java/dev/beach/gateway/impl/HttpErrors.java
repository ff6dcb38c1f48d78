package dev.beach.gateway.impl;

import dev.beach.BeachException;
import dev.beach.ErrorCode;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every failure leaves the gateway as {@code {"error": {code, message, ...}}} with the HTTP status equal to
 * {@code code}. Beach failures keep their {@link BeachException#toJson()} form; router failures (404, 405,
 * 413, 415) get a message saying what to change.
 */
public final class HttpErrors {

  private static final Logger LOG = LoggerFactory.getLogger(HttpErrors.class);

  private HttpErrors() {
  }

  /** A failure the gateway raises itself, with a status that may have no {@link ErrorCode} (405, 415). */
  public static final class Status extends RuntimeException {
    private final int status;

    public Status(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  public static BeachException bad(String message) {
    return new BeachException(ErrorCode.BAD_REQUEST, message);
  }

  /** The failure handler of every route and the router's error handler for unmatched requests. */
  public static void handle(RoutingContext ctx) {
    HttpServerResponse response = ctx.response();
    if (response.ended() || response.closed()) {
      return;
    }
    if (response.headWritten()) {
      // A streamed answer (SSE, NDJSON) failed half way: nothing valid can follow, so cut it.
      response.reset();
      return;
    }
    JsonObject error = toError(ctx.failure(), ctx.statusCode(), ctx);
    send(ctx, error);
  }

  /** Writes {@code {"error": error}} with the status {@code error.code}. */
  public static void send(RoutingContext ctx, JsonObject error) {
    int status = error.getInteger("code", 500);
    HttpServerResponse response = ctx.response();
    response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
    if (status == 401) {
      response.putHeader("WWW-Authenticate", "Bearer realm=\"beach\"");
    }
    if (status == 413) {
      // The rest of an oversized body is not read: close rather than leave it in the pipe.
      response.putHeader(HttpHeaders.CONNECTION, "close");
    }
    response.end(new JsonObject().put("error", error).encode());
  }

  static JsonObject toError(Throwable failure, int statusCode, RoutingContext ctx) {
    if (failure instanceof Status) {
      return plain(((Status) failure).status(), failure.getMessage());
    }
    if (failure instanceof BeachException || failure instanceof ReplyException) {
      return BeachException.from(failure).toJson();
    }
    if (failure instanceof HttpException) {
      HttpException he = (HttpException) failure;
      return forStatus(he.getStatusCode(), he.getPayload(), ctx);
    }
    if (failure instanceof DecodeException || failure instanceof ClassCastException
      || failure instanceof IllegalArgumentException) {
      // Vert.x decoding (query strings, JSON getters) rejecting what the client sent.
      return plain(400, "bad request: " + failure.getMessage());
    }
    if (failure != null) {
      LOG.error("unexpected gateway failure on {} {}", ctx.request().method(), ctx.request().path(), failure);
      return plain(500, "internal gateway error: " + failure.getClass().getSimpleName()
        + (failure.getMessage() == null ? "" : ": " + failure.getMessage()));
    }
    return forStatus(statusCode, null, ctx);
  }

  private static JsonObject forStatus(int status, String payload, RoutingContext ctx) {
    String method = ctx.request().method().name();
    String path = ctx.request().path();
    switch (status) {
      case 400:
        return plain(400, payload != null ? payload : "bad request for " + method + " " + path);
      case 404:
        return plain(404, "no route " + method + " " + path + ": see GET /v1/openapi.yaml for the API");
      case 405:
        return plain(405, "method " + method + " is not allowed on " + path + allowed(ctx));
      case 413:
        return plain(413, "request body larger than the limit of " + ctx.get(ApiRouter.LIMIT_KEY, 0L)
          + " bytes (gateway.maxBodyBytes)");
      case 415:
        return plain(415, "unsupported content type: send Content-Type: application/json");
      case -1:
      case 500:
        return plain(500, "internal gateway error on " + method + " " + path);
      default:
        return plain(status, payload != null ? payload : "HTTP " + status + " for " + method + " " + path);
    }
  }

  private static String allowed(RoutingContext ctx) {
    String allow = ctx.response().headers().get(HttpHeaders.ALLOW);
    return allow == null ? "" : "; allowed: " + allow;
  }

  /** An error object for a status that may have no {@link ErrorCode}. */
  public static JsonObject plain(int status, String message) {
    return new JsonObject().put("code", status).put("message", message).put("details", new JsonObject());
  }
}
