package dev.beach.gateway.impl;

import dev.beach.Address;
import dev.beach.Beach;
import dev.beach.BeachException;
import dev.beach.ErrorCode;
import dev.beach.LogLine;
import dev.beach.LogPage;
import dev.beach.LogQuery;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Actor logs: {@code GET /v1/realms/{realm}/actors/{id}/logs} and {@code .../categories/{category}/logs}, the recent
 * lines as JSON ({@link LogPage}) or, with {@code follow=true}, as Server-Sent Events that go on with new lines.
 *
 * <p>Following polls {@link Beach#logs} with the last page's cursor, every {@value #FAST_MS} ms while lines come and
 * backing off to {@value #SLOW_MS} ms while none do, and never while the client's write queue is full: nodes keep no
 * state for followers and publish nothing when nobody follows, a slow client is read for at its own pace (the rings
 * hold the lines meanwhile), and the load is bounded by {@value #MAX_FOLLOWERS} streams per gateway.
 */
final class LogsApi {

  static final int MAX_FOLLOWERS = 256;
  static final long FAST_MS = 250;
  static final long SLOW_MS = 1000;
  private static final Pattern AGO = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

  private final Vertx vertx;
  private final Beach beach;
  private final long heartbeatMs;
  private final Set<Follower> followers = new LinkedHashSet<>();

  LogsApi(Vertx vertx, Beach beach, long heartbeatMs) {
    this.vertx = vertx;
    this.beach = beach;
    this.heartbeatMs = heartbeatMs;
  }

  void register(ApiRouter api) {
    api.get("/v1/realms/:realm/actors/:id/logs", Access.REALM, ctx -> read(ctx,
      new LogQuery().setActor(Address.validateActorId(ctx.pathParam("id")))));
    api.get("/v1/realms/:realm/categories/:category/logs", Access.REALM, ctx -> read(ctx,
      new LogQuery().setCategory(Params.category(ctx))));
  }

  /** Ends every follow stream (the gateway stops). */
  void stop() {
    for (Follower f : new ArrayList<>(followers)) {
      f.close();
    }
  }

  int followers() {
    return followers.size();
  }

  private void read(RoutingContext ctx, LogQuery query) {
    String realm = Params.realm(ctx);
    query.setLevel(level(Params.query(ctx, "level")))
      .setSince(since(Params.query(ctx, "since")))
      .setLimit((int) Params.longParam(ctx, "limit", LogQuery.DEFAULT_LIMIT, 1, LogQuery.MAX_LIMIT))
      .validate();
    boolean follow = Params.bool(ctx, "follow", false);
    if (follow && followers.size() >= MAX_FOLLOWERS) {
      throw new BeachException(ErrorCode.OVERLOADED, "this gateway already follows " + MAX_FOLLOWERS
        + " log streams: close one or read without follow");
    }
    Future<Void> known = query.getCategory() == null ? Future.succeededFuture()
      : ClusterApi.Realms.requireKnown(beach, realm);
    Replies.then(ctx, known.compose(v -> beach.logs(realm, query)), page -> {
      if (follow) {
        new Follower(ctx.response(), realm, query, page).start();
      } else {
        Replies.json(ctx, 200, page.toJson());
      }
    });
  }

  private static String level(String text) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    if (LogLine.rank(text.trim()) < 0) {
      throw HttpErrors.bad("query parameter 'level' must be one of " + String.join(", ", LogLine.LEVELS)
        + " (the lowest level shown), not '" + Bodies.abbreviate(text) + "'");
    }
    return text.trim().toUpperCase(Locale.ROOT);
  }

  /** Epoch milliseconds, or how long ago: {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d}, {@code 500ms}. */
  static long since(String text) {
    if (text == null || text.isEmpty()) {
      return 0;
    }
    String t = text.trim();
    Matcher ago = AGO.matcher(t);
    if (ago.matches()) {
      long n = Long.parseLong(ago.group(1));
      long unit = switch (ago.group(2)) {
        case "ms" -> 1;
        case "s" -> 1000;
        case "m" -> 60_000;
        case "h" -> 3_600_000;
        default -> 86_400_000;
      };
      return Math.max(0, System.currentTimeMillis() - n * unit);
    }
    try {
      long epochMs = Long.parseLong(t);
      if (epochMs >= 0) {
        return epochMs;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw HttpErrors.bad("query parameter 'since' must be an epoch time in milliseconds (≥ 0) or a time ago such as "
      + "30s, 5m, 2h or 1d, not '" + Bodies.abbreviate(text) + "'");
  }

  /** One follow stream: writes the first page, then polls for what comes after its cursor. */
  private final class Follower {
    private final HttpServerResponse response;
    private final String realm;
    private final LogQuery query;
    private LogPage last;
    private long timer = -1;
    private long heartbeat = -1;
    private long delay = FAST_MS;
    private boolean closed;

    Follower(HttpServerResponse response, String realm, LogQuery query, LogPage first) {
      this.response = response;
      this.realm = realm;
      this.query = query;
      this.last = first;
    }

    void start() {
      if (response.ended() || response.closed()) {
        return;
      }
      followers.add(this);
      response.setChunked(true)
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
        .putHeader("X-Accel-Buffering", "no");
      response.closeHandler(v -> close());
      response.exceptionHandler(t -> close());
      String what = query.getActor() != null ? "actor " + query.getActor() : "category " + query.getCategory();
      response.write("retry: 3000\n: beach logs of " + what + " in realm " + realm + "\n\n");
      write(last);
      heartbeat = vertx.setPeriodic(heartbeatMs, t -> {
        if (!response.writeQueueFull()) {
          response.write(": ping\n\n");
        }
      });
      schedule();
    }

    private void schedule() {
      if (!closed) {
        timer = vertx.setTimer(delay, t -> poll());
      }
    }

    private void poll() {
      if (closed) {
        return;
      }
      if (response.writeQueueFull()) {
        delay = SLOW_MS; // the client reads slowly: the rings keep the lines until it catches up
        schedule();
        return;
      }
      Map<String, Long> cursor = last.cursor();
      beach.logs(realm, new LogQuery(query).setCursor(cursor)).onComplete(ar -> {
        if (closed) {
          return;
        }
        if (ar.succeeded()) {
          last = ar.result();
          write(last);
          delay = last.lines().isEmpty() ? Math.min(SLOW_MS, delay * 2) : FAST_MS;
        } else if (BeachException.from(ar.cause()).code() == ErrorCode.NOT_FOUND) {
          // The actor's node left: nothing more will come.
          response.write(": " + BeachException.from(ar.cause()).getMessage().replace('\n', ' ') + "\n\n");
          close();
          return;
        } else {
          delay = SLOW_MS;
        }
        schedule();
      });
    }

    private void write(LogPage page) {
      if (page.lines().isEmpty()) {
        return;
      }
      StringBuilder out = new StringBuilder();
      for (LogLine l : page.lines()) {
        out.append("id: ").append(l.node()).append(':').append(l.seq()).append("\ndata: ").append(l.toJson().encode())
          .append("\n\n");
      }
      response.write(out.toString());
    }

    void close() {
      if (closed) {
        return;
      }
      closed = true;
      followers.remove(this);
      vertx.cancelTimer(timer);
      vertx.cancelTimer(heartbeat);
      if (!response.ended() && !response.closed()) {
        response.end();
      }
    }
  }
}
