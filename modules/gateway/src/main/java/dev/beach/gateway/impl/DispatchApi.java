package dev.beach.gateway.impl;

import dev.beach.ActorHandle;
import dev.beach.ActorReply;
import dev.beach.Address;
import dev.beach.BeachException;
import dev.beach.BeachNode;
import dev.beach.ErrorCode;
import dev.beach.HandleOptions;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import io.vertx.ext.web.RoutingContext;

import java.util.Locale;
import java.util.Set;

/**
 * {@code POST /v1/realms/{realm}/categories/{category}/{op}}: a request to a category, the way an actor's
 * {@link ActorHandle} sends it. {@code mode=one} (default) answers the reply, {@code shoot} 202,
 * {@code broadcast} 202 with the number of actors reached, {@code all} every actor's outcome, {@code stream}
 * a streamed reply as NDJSON.
 */
final class DispatchApi {

  /** The longest a caller may ask a request to wait; longer work belongs in jobs. */
  static final long MAX_TIMEOUT_MS = 600_000;
  static final int MAX_RETRIES = 10;
  static final int MAX_KEY_LENGTH = 256;

  private final BeachNode node;
  private final long maxBodyBytes;
  private final Timeouts timeouts;

  DispatchApi(BeachNode node, long maxBodyBytes, Timeouts timeouts) {
    this.node = node;
    this.maxBodyBytes = maxBodyBytes;
    this.timeouts = timeouts;
  }

  void register(ApiRouter api) {
    api.withBody(HttpMethod.POST, "/v1/realms/:realm/categories/:category/:op", Access.REALM,
      Set.of(Bodies.JSON, Bodies.OCTETS), maxBodyBytes, this::dispatch);
  }

  private void dispatch(RoutingContext ctx) {
    String realm = Params.realm(ctx);
    String category = Params.category(ctx);
    String op = Address.validateOp(ctx.pathParam("op"));
    String mode = mode(ctx);
    Long timeout = Params.query(ctx, "timeout") == null ? null : Params.longParam(ctx, "timeout", 0, 1, MAX_TIMEOUT_MS);
    // A caller who sets a timeout means the whole wait; retries would multiply it unless asked for.
    int retries = (int) Params.longParam(ctx, "retries", timeout == null ? HandleOptions.DEFAULT_RETRIES : 0, 0, MAX_RETRIES);
    String key = Params.query(ctx, "key");
    boolean local = Params.bool(ctx, "local", false);
    if (key != null && (key.isEmpty() || key.length() > MAX_KEY_LENGTH)) {
      throw HttpErrors.bad("query parameter 'key' must be 1 to " + MAX_KEY_LENGTH + " characters");
    }
    if (key != null && local) {
      throw HttpErrors.bad("give either 'key' (affinity) or 'local', not both");
    }
    Object body = Bodies.OCTETS.equals(Bodies.mediaType(ctx))
      ? (ctx.body().buffer() == null ? Buffer.buffer() : ctx.body().buffer())
      : Bodies.json(ctx);

    long timeoutMs = timeout != null ? timeout : node.options().getRequestTimeoutMs();
    HandleOptions options = new HandleOptions().setTimeoutMs(timeoutMs).setRetries(retries)
      .setIdent(Auth.principal(ctx).ident());
    ActorHandle handle = node.beach().handle(realm, category, options);
    if (key != null) {
      handle = handle.affinity(key);
    } else if (local) {
      handle = handle.local();
    }
    if ("stream".equals(mode)) {
      stream(ctx, handle.requestStream(op, body));
      return;
    }
    guard(ctx, timeoutMs * (retries + 1) + options.getRetryDelayMs() * retries + 1000);
    switch (mode) {
      case "shoot":
        Replies.then(ctx, handle.shoot(op, body), v -> Replies.json(ctx, 202, new JsonObject().put("accepted", true)));
        break;
      case "broadcast":
        Replies.then(ctx, handle.broadcast(op, body), n -> {
          if (n == 0) {
            throw noActors(realm, category);
          }
          Replies.json(ctx, 202, new JsonObject().put("targeted", n));
        });
        break;
      case "all":
        Replies.then(ctx, handle.requestAll(op, body), replies -> {
          if (replies.isEmpty()) {
            throw noActors(realm, category);
          }
          JsonArray out = new JsonArray();
          for (ActorReply r : replies) {
            out.add(r.toJson());
          }
          Replies.json(ctx, 200, new JsonObject().put("replies", out));
        });
        break;
      default:
        Future<Object> reply = handle.request(op, body);
        Replies.then(ctx, reply, value -> {
          if (value instanceof Buffer) {
            Replies.bytes(ctx, 200, Bodies.OCTETS, (Buffer) value);
          } else {
            Replies.json(ctx, 200, value);
          }
        });
        break;
    }
  }

  private static String mode(RoutingContext ctx) {
    String mode = Params.query(ctx, "mode");
    if (mode == null || mode.isEmpty()) {
      return "one";
    }
    mode = mode.toLowerCase(Locale.ROOT);
    switch (mode) {
      case "one":
      case "shoot":
      case "broadcast":
      case "all":
      case "stream":
        return mode;
      default:
        throw HttpErrors.bad("query parameter 'mode' must be one, shoot, broadcast, all or stream, not '"
          + Bodies.abbreviate(mode) + "'");
    }
  }

  private static BeachException noActors(String realm, String category) {
    return new BeachException(ErrorCode.NO_ACTORS, "no actor in " + realm + "/" + category, realm, category,
      null, null, null, null);
  }

  /**
   * Answers 504 if the handle has not answered by then: whatever happens below, the HTTP caller is not left
   * hanging. The handle's own deadline answers first; this is the backstop, checked by the connection sweep.
   */
  private void guard(RoutingContext ctx, long afterMs) {
    timeouts.answerBy(ctx.request(), System.currentTimeMillis() + afterMs, () -> {
      if (!ctx.response().ended()) {
        ctx.fail(new BeachException(ErrorCode.TIMEOUT, "no answer within " + afterMs + " ms"));
      }
    });
  }

  /** Writes each streamed item as one JSON line; a failure after the first line ends with an error line. */
  private void stream(RoutingContext ctx, ReadStream<Object> items) {
    HttpServerResponse response = ctx.response();
    response.setChunked(true).putHeader(HttpHeaders.CONTENT_TYPE, "application/x-ndjson");
    items.exceptionHandler(t -> {
      if (!response.headWritten()) {
        ctx.fail(t);
      } else if (!response.ended() && !response.closed()) {
        response.end(new JsonObject().put("error", BeachException.from(t).toJson()).encode() + "\n");
      }
    });
    items.endHandler(v -> {
      if (!response.ended() && !response.closed()) {
        response.end();
      }
    });
    items.handler(item -> {
      if (response.ended() || response.closed()) {
        return; // the client left; the remaining items are dropped
      }
      response.write(Json.encode(item) + "\n");
      if (response.writeQueueFull()) {
        items.pause();
        response.drainHandler(d -> items.resume());
      }
    });
  }
}
