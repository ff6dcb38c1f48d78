package dev.beach.gateway.impl;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.PlatformHandler;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The gateway's router with the plumbing every route shares: auth first (so an unauthenticated caller never
 * makes the gateway read a body), then the content-type check, then a size-limited body, then the handler;
 * JSON errors for everything that fails or matches no route.
 */
public final class ApiRouter {

  private static final CharSequence NO_STORE = HttpHeaders.createOptimized("no-store");

  /** The body limit of the route being served, for the 413 message. */
  static final String LIMIT_KEY = "beach.bodyLimit";
  /** Route metadata: who may call it ({@link Access} in lower case), as {@code x-beach-access} in openapi.yaml. */
  public static final String ACCESS_KEY = "beach.access";

  private final Router router;
  private final Auth auth;
  private final Timeouts timeouts;
  /** Null when the node does not trace: then no route has a span handler. */
  private final HttpSpans spans;
  private final List<Endpoint> endpoints = new ArrayList<>();

  private static final class Endpoint {
    final HttpMethod method;
    final Pattern pattern;

    Endpoint(HttpMethod method, String path) {
      this.method = method;
      this.pattern = Pattern.compile(path.replaceAll(":[A-Za-z]+", "[^/]+"));
    }
  }

  /** A router without connection timeouts, for mounting routes on a server of one's own. */
  public ApiRouter(Vertx vertx, Auth auth) {
    this(vertx, auth, null, null);
  }

  ApiRouter(Vertx vertx, Auth auth, Timeouts timeouts, HttpSpans spans) {
    this.router = Router.router(vertx);
    this.auth = auth;
    this.timeouts = timeouts;
    this.spans = spans;
    for (int status : new int[] {400, 404, 405, 406, 413, 414, 415, 431, 500}) {
      router.errorHandler(status, this::unmatched);
    }
  }

  public Router router() {
    return router;
  }

  /** Adds the failure handler; call after every route is added. */
  public void finish() {
    router.route().failureHandler(HttpErrors::handle);
  }

  public Route get(String path, Access access, Handler<RoutingContext> handler) {
    return add(HttpMethod.GET, path, access, null, 0, handler);
  }

  /**
   * A POST whose body, if any, is not read (commands carried by the path and query). It still needs
   * {@code Content-Type: application/json}: a type no page of another site can send without a CORS preflight,
   * which this gateway only grants to {@code gateway.allowedOrigins}.
   */
  public Route post(String path, Access access, Handler<RoutingContext> handler) {
    return add(HttpMethod.POST, path, access, Set.of(Bodies.JSON), -1, handler);
  }

  /** A POST whose handler reads the body itself, in one of {@code types}. */
  public Route post(String path, Access access, Set<String> types, Handler<RoutingContext> handler) {
    return add(HttpMethod.POST, path, access, types, -1, handler);
  }

  public Route delete(String path, Access access, Handler<RoutingContext> handler) {
    return add(HttpMethod.DELETE, path, access, null, 0, handler);
  }

  /** A route that reads a body of one of {@code types}, at most {@code limit} bytes. */
  public Route withBody(HttpMethod method, String path, Access access, Set<String> types, long limit,
                        Handler<RoutingContext> handler) {
    return add(method, path, access, types, limit, handler);
  }

  private Route add(HttpMethod method, String path, Access access, Set<String> types, long limit,
                    Handler<RoutingContext> handler) {
    endpoints.add(new Endpoint(method, path));
    Route route = router.route(method, path).setName(method.name() + " " + path)
      .putMetadata(ACCESS_KEY, access.name().toLowerCase(java.util.Locale.ROOT));
    if (spans != null) {
      // First, so the span covers refusals by auth and the body's reading as well.
      route.handler(spans.route(method, path));
    }
    route.handler(new Precheck(auth, access, types, limit));
    if (types != null && limit >= 0) {
      route.handler(BodyHandler.create(false).setBodyLimit(limit).setMergeFormAttributes(false));
    }
    route.handler(handler);
    return route;
  }

  /**
   * Auth and content-type checks. Marked as a platform handler because vertx-web orders platform handlers
   * before the body handler: a caller without a valid token, or with the wrong content type, is turned away
   * before the gateway reads a byte of its body.
   */
  private static final class Precheck implements PlatformHandler {
    private final Auth auth;
    private final Access access;
    private final Set<String> types;
    private final long limit;

    Precheck(Auth auth, Access access, Set<String> types, long limit) {
      this.auth = auth;
      this.access = access;
      this.types = types;
      this.limit = limit;
    }

    @Override
    public void handle(RoutingContext ctx) {
      noStore(ctx);
      auth.check(ctx, access, access == Access.REALM ? ctx.pathParam("realm") : null);
      if (types != null) {
        Bodies.requireType(ctx, types);
        if (limit >= 0) {
          ctx.put(LIMIT_KEY, limit);
        }
      }
      ctx.next();
    }
  }

  /** The route reads {@code ctx}'s body at its own pace, pausing it on purpose: exempt from the body idle timeout. */
  public void bodyStreamed(RoutingContext ctx) {
    if (timeouts != null) {
      timeouts.bodyStreamed(ctx.request());
    }
  }

  /**
   * API answers are live data about a cluster: never cached. Set by the first handler of every route and for
   * requests no route matched, rather than by a catch-all route in front, which every request would pay a route
   * match and a handler call for. (Security headers: FrontDoor, on every answer.)
   */
  private static void noStore(RoutingContext ctx) {
    if (ctx.request().path().startsWith("/v1/")) {
      ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, NO_STORE);
    }
  }

  /** Requests no route matched (404, 405) or that failed before reaching one. */
  private void unmatched(RoutingContext ctx) {
    noStore(ctx);
    if (ctx.statusCode() == 405) {
      ctx.response().putHeader(HttpHeaders.ALLOW, allowed(ctx.request().path()));
    }
    HttpErrors.handle(ctx);
  }

  private String allowed(String path) {
    Set<String> methods = new LinkedHashSet<>();
    for (Endpoint e : endpoints) {
      if (e.pattern.matcher(path).matches()) {
        methods.add(e.method.name());
      }
    }
    return methods.stream().sorted().collect(Collectors.joining(", "));
  }
}
