package dev.beach.spi;

import dev.beach.impl.trace.NodeTracers;
import dev.beach.impl.trace.OtelTracing;
import dev.beach.impl.trace.TraceContexts;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;

/**
 * Tracing for the modules built on core that make spans of their own (the gateway's HTTP server span, the jobs'
 * spans), so that theirs and the runtime's form one trace: the node's tracer, the attribute names the runtime uses,
 * and the trace context a call takes as its parent. Not for applications, which use the OpenTelemetry API.
 */
public final class TraceSupport {

  public static final AttributeKey<String> REALM = OtelTracing.REALM;
  public static final AttributeKey<String> CATEGORY = OtelTracing.CATEGORY;
  public static final AttributeKey<String> OP = OtelTracing.OP;
  public static final AttributeKey<String> NODE = OtelTracing.NODE;
  public static final AttributeKey<String> OUTCOME = OtelTracing.OUTCOME;
  public static final AttributeKey<Long> ERROR_CODE = OtelTracing.ERROR_CODE;

  private TraceSupport() {
  }

  /**
   * The tracer of node {@code nodeId} ({@code Beach.nodeId()}, {@code BeachNode.id()}), or null when that node does
   * not trace: then make no span at all.
   */
  public static Tracer tracer(String nodeId) {
    return NodeTracers.of(nodeId);
  }

  /**
   * The parent a call made here gets: the thread's current context when code made one current, else the one the
   * current Vert.x context holds ({@link #hold}), else root.
   */
  public static Context current() {
    return TraceContexts.current();
  }

  /**
   * The trace id of what runs now ({@link #current()}: a span made current on the thread, else the one the current
   * Vert.x context holds), or null outside any trace: for log lines written from a handler's callbacks, where the
   * SLF4J MDC (a thread-local set around the handler only) is empty.
   */
  public static String currentTraceId() {
    io.opentelemetry.api.trace.SpanContext span = io.opentelemetry.api.trace.Span.fromContext(current()).getSpanContext();
    return span.isValid() ? span.getTraceId() : null;
  }

  /**
   * Keeps {@code trace} in {@code vertxContext} so that calls made from it later, from timers and callbacks that run
   * on it, take it as their parent. Only a context the caller owns: the duplicate Vert.x gives each HTTP request, or
   * one made for the work alone.
   *
   * @return false when this Vert.x was built before Beach's classes were loaded and has no room for it
   */
  public static boolean hold(io.vertx.core.Context vertxContext, Context trace) {
    return TraceContexts.hold(vertxContext, trace);
  }
}
