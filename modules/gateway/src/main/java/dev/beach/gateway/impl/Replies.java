package dev.beach.gateway.impl;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.Json;
import io.vertx.ext.web.RoutingContext;

import java.util.function.Consumer;

/** Successful answers. Failures go through {@link RoutingContext#fail} to {@link HttpErrors}. */
public final class Replies {

  private static final CharSequence JSON_TYPE = HttpHeaders.createOptimized(Bodies.JSON);

  private Replies() {
  }

  /** Answers {@code status} with {@code value} encoded as JSON (any JSON value, null included). */
  public static void json(RoutingContext ctx, int status, Object value) {
    HttpServerResponse response = ctx.response();
    if (response.ended() || response.closed()) {
      return; // the client left; nothing to answer
    }
    if (status != 200) {
      response.setStatusCode(status); // 200 is the default; setting it again costs a status lookup per answer
    }
    response.putHeader(HttpHeaders.CONTENT_TYPE, JSON_TYPE).end(Json.encodeToBuffer(value));
  }

  public static void noContent(RoutingContext ctx) {
    if (!ctx.response().ended() && !ctx.response().closed()) {
      ctx.response().setStatusCode(204).end();
    }
  }

  public static void bytes(RoutingContext ctx, int status, String contentType, Buffer body) {
    if (!ctx.response().ended() && !ctx.response().closed()) {
      ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, contentType).end(body);
    }
  }

  /** Runs {@code onSuccess} with the result, or fails the request with the future's failure. */
  public static <T> void then(RoutingContext ctx, Future<T> future, Consumer<T> onSuccess) {
    future.onComplete(ar -> {
      if (ar.failed()) {
        if (!ctx.response().ended()) {
          ctx.fail(ar.cause());
        }
        return;
      }
      try {
        onSuccess.accept(ar.result());
      } catch (RuntimeException e) {
        ctx.fail(e);
      }
    });
  }
}
