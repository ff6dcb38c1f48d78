package dev.beach.gateway.impl;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.observability.HttpRequest;
import io.vertx.core.spi.observability.HttpResponse;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The gateway's HTTP server meters, under the names and labels Vert.x's Micrometer metrics give them
 * ({@code vertx_http_server_requests_total{code,method,route}}, {@code ..._response_time_seconds},
 * {@code ..._response_bytes}, {@code ..._request_bytes{method}}, {@code ..._active_requests{method}},
 * {@code ..._active_connections}, {@code ..._bytes_read_total}, {@code ..._bytes_written_total}).
 * <p>
 * Why not Vert.x's own: it builds tags and looks each meter up in the registry on every request (six lookups and a
 * gauge registration per request, 14% of the gateway's event-loop time in {@code bench gateway}). Here each meter
 * is looked up once and then held, by route, method and status code. Every label is bounded: the route is the
 * matched route's template ({@code ""} when none matched), an unknown method counts as {@code OTHER}, and a status
 * code is 100 to 599.
 */
public final class HttpServerMeters implements HttpServerMetrics<HttpServerMeters.RequestMetric, Object, Object> {

  private static final String PREFIX = "vertx.http.server.";
  /** The methods that get a label of their own; any other (a client may send any token) is {@code OTHER}. */
  private static final Set<String> KNOWN_METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS",
    "TRACE", "CONNECT");
  private static final String OTHER = "OTHER";
  /** A connection's and a WebSocket's metric: nothing per connection is kept, but Vert.x may skip a null one. */
  private static final Object COUNTED = new Object();

  private final MeterRegistry registry;
  private final AtomicLong connections = new AtomicLong();
  private final AtomicLong webSockets = new AtomicLong();
  private final Counter bytesRead;
  private final Counter bytesWritten;
  /** Keyed by method: its hash is cached, where {@code name()} makes a new string per call. */
  private final ConcurrentHashMap<HttpMethod, MethodMeters> byMethod = new ConcurrentHashMap<>();
  private volatile MethodMeters other;
  /** Route, then method, then status code. */
  private final ConcurrentHashMap<String, ConcurrentHashMap<String, AtomicReferenceArray<Outcome>>> outcomes =
    new ConcurrentHashMap<>();

  public HttpServerMeters(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder(PREFIX + "active.connections", connections, AtomicLong::get)
      .description("Number of opened connections to the server").register(registry);
    Gauge.builder(PREFIX + "active.ws.connections", webSockets, AtomicLong::get)
      .description("Number of websockets currently opened").register(registry);
    this.bytesRead = Counter.builder(PREFIX + "bytes.read").description("Number of bytes received by the server")
      .register(registry);
    this.bytesWritten = Counter.builder(PREFIX + "bytes.written").description("Number of bytes sent by the server")
      .register(registry);
  }

  /** What one request's meters need: its start, method, matched route(s), and whether it was counted out. */
  public static final class RequestMetric {
    private final long startNanos = System.nanoTime();
    private final MethodMeters method;
    private String route = "";
    private boolean done;

    RequestMetric(MethodMeters method) {
      this.method = method;
    }
  }

  /** The per-method meters: requests in progress and request body sizes. */
  static final class MethodMeters {
    final String name;
    final AtomicLong active = new AtomicLong();
    final DistributionSummary requestBytes;

    MethodMeters(String name, MeterRegistry registry) {
      this.name = name;
      Gauge.builder(PREFIX + "active.requests", active, AtomicLong::get).tags("method", name)
        .description("Number of requests being processed").register(registry);
      this.requestBytes = DistributionSummary.builder(PREFIX + "request.bytes").tags("method", name)
        .description("Size of requests in bytes").register(registry);
    }
  }

  /** The meters of one route, method and status code. */
  private static final class Outcome {
    final Counter requests;
    final Timer time;
    final DistributionSummary responseBytes;

    Outcome(MeterRegistry registry, String route, String method, int code) {
      Tags tags = Tags.of("code", Integer.toString(code), "method", method, "route", route);
      this.requests = Counter.builder(PREFIX + "requests").tags(tags).description("Number of processed requests")
        .register(registry);
      this.time = Timer.builder(PREFIX + "response.time").tags(tags).description("Request processing time")
        .register(registry);
      this.responseBytes = DistributionSummary.builder(PREFIX + "response.bytes").tags(tags)
        .description("Size of responses in bytes").register(registry);
    }
  }

  private MethodMeters method(HttpMethod method) {
    MethodMeters m = method == null ? null : byMethod.get(method);
    if (m != null) {
      return m;
    }
    if (method != null && KNOWN_METHODS.contains(method.name())) {
      return byMethod.computeIfAbsent(method, k -> new MethodMeters(k.name(), registry));
    }
    // Not kept by name: a client may send any number of method names.
    MethodMeters o = other;
    if (o == null) {
      synchronized (this) {
        if (other == null) {
          other = new MethodMeters(OTHER, registry);
        }
        o = other;
      }
    }
    return o;
  }

  private Outcome outcome(RequestMetric r, int code) {
    int index = code < 100 || code > 599 ? 0 : code - 100;
    AtomicReferenceArray<Outcome> byCode = outcomes.computeIfAbsent(r.route, k -> new ConcurrentHashMap<>())
      .computeIfAbsent(r.method.name, k -> new AtomicReferenceArray<>(500));
    Outcome o = byCode.get(index);
    if (o == null) {
      o = new Outcome(registry, r.route, r.method.name, index + 100);
      if (!byCode.compareAndSet(index, null, o)) {
        o = byCode.get(index); // the registry gave both the same meters anyway
      }
    }
    return o;
  }

  @Override
  public Object connected(SocketAddress remoteAddress, String remoteName) {
    connections.incrementAndGet();
    return COUNTED;
  }

  @Override
  public void disconnected(Object socketMetric, SocketAddress remoteAddress) {
    connections.decrementAndGet();
  }

  @Override
  public void bytesRead(Object socketMetric, SocketAddress remoteAddress, long numberOfBytes) {
    bytesRead.increment(numberOfBytes);
  }

  @Override
  public void bytesWritten(Object socketMetric, SocketAddress remoteAddress, long numberOfBytes) {
    bytesWritten.increment(numberOfBytes);
  }

  @Override
  public RequestMetric requestBegin(Object socketMetric, HttpRequest request) {
    RequestMetric r = new RequestMetric(method(request.method()));
    r.method.active.incrementAndGet();
    return r;
  }

  @Override
  public void requestRouted(RequestMetric r, String route) {
    if (r != null && route != null) {
      // Sub-routers route a request more than once: the label joins them, as Vert.x's does.
      r.route = r.route.isEmpty() ? route : r.route + ">" + route;
    }
  }

  @Override
  public void requestEnd(RequestMetric r, HttpRequest request, long bytesRead) {
    if (r != null) {
      r.method.requestBytes.record(bytesRead);
    }
  }

  @Override
  public void requestReset(RequestMetric r) {
    if (r != null && !r.done) {
      r.done = true;
      r.method.active.decrementAndGet();
      Counter.builder(PREFIX + "request.resets").tags("method", r.method.name, "route", r.route)
        .description("Number of request resets").register(registry).increment();
    }
  }

  @Override
  public void responseEnd(RequestMetric r, HttpResponse response, long bytesWritten) {
    if (r == null || r.done) {
      return;
    }
    r.done = true;
    r.method.active.decrementAndGet();
    Outcome o = outcome(r, response.statusCode());
    o.requests.increment();
    o.time.record(System.nanoTime() - r.startNanos, TimeUnit.NANOSECONDS);
    o.responseBytes.record(bytesWritten);
  }

  @Override
  public Object connected(Object socketMetric, RequestMetric r, ServerWebSocket webSocket) {
    webSockets.incrementAndGet();
    return COUNTED;
  }

  @Override
  public void disconnected(Object webSocketMetric) {
    webSockets.decrementAndGet();
  }
}
