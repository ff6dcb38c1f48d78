package dev.beach.gateway.impl;

import dev.beach.Address;
import dev.beach.BeachException;
import dev.beach.spi.TraceSupport;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.vertx.core.AsyncResult;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.internal.ContextInternal;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;

import java.util.function.UnaryOperator;

/**
 * The gateway's HTTP server spans, one per API request a route matched: named {@code METHOD /route/{template}}, the
 * child of the caller's W3C {@code traceparent} when it sent one (an external trace continues), the parent of the
 * actor calls and jobs the request makes, also from its callbacks (the span is held in the request's duplicated
 * Vert.x context), and named in the response's {@code traceparent} so a caller (the dashboard's console) can find
 * the trace. Made only when the node traces: off, {@link ApiRouter} adds no handler at all.
 */
final class HttpSpans {

  static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
  static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
  static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  static final String TRACEPARENT = "traceparent";

  private static final TextMapPropagator W3C = W3CTraceContextPropagator.getInstance();
  private static final TextMapGetter<MultiMap> HEADERS = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(MultiMap headers) {
      return headers.names();
    }

    @Override
    public String get(MultiMap headers, String key) {
      // One value only: several traceparent headers are ambiguous, and the propagator then starts a new trace.
      return headers == null || headers.getAll(key).size() != 1 ? null : headers.get(key);
    }
  };
  private static final TextMapSetter<HttpServerResponse> RESPONSE = (response, key, value) -> {
    if (response != null && TRACEPARENT.equals(key)) {
      response.putHeader(TRACEPARENT, value);
    }
  };

  private final Tracer tracer;

  private HttpSpans(Tracer tracer) {
    this.tracer = tracer;
  }

  /** The spans of node {@code nodeId}'s gateway; null when that node does not trace. */
  static HttpSpans of(String nodeId) {
    Tracer tracer = TraceSupport.tracer(nodeId);
    return tracer == null ? null : new HttpSpans(tracer);
  }

  /** The first handler of the route {@code path} ({@code :name} parameters): starts and ends its span. */
  PlatformHandler route(HttpMethod method, String path) {
    return new RouteSpan(method.name(), path.replaceAll(":([A-Za-z]+)", "{$1}"));
  }

  private final class RouteSpan implements PlatformHandler {
    private final String method;
    private final String route;
    private final String name;

    RouteSpan(String method, String route) {
      this.method = method;
      this.route = route;
      this.name = method + " " + route;
    }

    @Override
    public void handle(RoutingContext ctx) {
      Context parent = W3C.extract(Context.root(), ctx.request().headers(), HEADERS);
      Span span = tracer.spanBuilder(name).setParent(parent).setSpanKind(SpanKind.SERVER)
        .setAttribute(METHOD, method).setAttribute(ROUTE, route).startSpan();
      Context trace = parent.with(span);
      W3C.inject(trace, ctx.response(), RESPONSE);
      ctx.addEndHandler(ar -> end(span, ctx, ar));
      // Held in the request's own (duplicated) context: the route's handlers run there after the body is read, and
      // so do the callbacks of the calls they make. A context shared with other requests must not hold it.
      io.vertx.core.Context here = Vertx.currentContext();
      if (here instanceof ContextInternal && ((ContextInternal) here).isDuplicate()) {
        TraceSupport.hold(here, trace);
      }
      Scope scope = trace.makeCurrent();
      try {
        ctx.next();
      } finally {
        scope.close();
      }
    }
  }

  private static void end(Span span, RoutingContext ctx, AsyncResult<Void> ended) {
    int status = ctx.response().getStatusCode();
    span.setAttribute(STATUS, (long) status);
    name(span, TraceSupport.REALM, ctx.pathParam("realm"), Address::validateRealm);
    name(span, TraceSupport.CATEGORY, ctx.pathParam("category"), Address::validateCategory);
    name(span, TraceSupport.OP, ctx.pathParam("op"), Address::validateOp);
    if (ended.failed()) {
      span.setAttribute(ERROR_TYPE, "connection closed").setStatus(StatusCode.ERROR,
        "the connection closed before the response ended");
    } else if (status >= 500) {
      // As OpenTelemetry's HTTP conventions have it for a server: a 4xx is the caller's error, not this span's.
      span.setAttribute(ERROR_TYPE, Integer.toString(status)).setStatus(StatusCode.ERROR);
    }
    span.end();
  }

  /** Records a Beach name from the path only when it follows its rule: otherwise it is arbitrary caller input. */
  private static void name(Span span, AttributeKey<String> key, String value, UnaryOperator<String> rule) {
    if (value == null) {
      return;
    }
    try {
      rule.apply(value);
    } catch (BeachException notAName) {
      return;
    }
    span.setAttribute(key, value);
  }
}
