package dev.beach.impl.trace;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.vertx.core.internal.ContextInternal;
import org.slf4j.MDC;

import java.util.List;

/**
 * Spans through the OpenTelemetry API. Which SDK, exporter and sampler stand behind {@code otel} is the node
 * starter's business (the launcher autoconfigures it from the {@code OTEL_*} variables); the trace context
 * travels as W3C {@code traceparent}/{@code tracestate}, whatever propagators the SDK was given.
 */
public final class OtelTracing implements Tracing {

  /** The MDC key the log rings and log patterns read. */
  public static final String MDC_TRACE_ID = "trace_id";

  public static final AttributeKey<String> REALM = AttributeKey.stringKey("beach.realm");
  public static final AttributeKey<String> CATEGORY = AttributeKey.stringKey("beach.category");
  public static final AttributeKey<String> OP = AttributeKey.stringKey("beach.op");
  public static final AttributeKey<String> ACTOR = AttributeKey.stringKey("beach.actor.id");
  public static final AttributeKey<String> NODE = AttributeKey.stringKey("beach.node.id");
  public static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("beach.request.id");
  public static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("beach.retry.attempt");
  public static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("beach.outcome");
  public static final AttributeKey<Long> ERROR_CODE = AttributeKey.longKey("beach.error.code");

  private static final String TRACEPARENT = "traceparent";
  private static final String TRACESTATE = "tracestate";

  private final Tracer tracer;
  private final TextMapPropagator propagator =
    io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator.getInstance();

  public OtelTracing(OpenTelemetry otel) {
    this.tracer = otel.getTracer("dev.beach");
  }

  /** The tracer this node's spans are made with (the gateway's and the jobs' too, through {@link NodeTracers}). */
  public Tracer tracer() {
    return tracer;
  }

  @Override
  public Object current() {
    return TraceContexts.current();
  }

  @Override
  public TraceSpan client(Object parent, String kind, String realm, String category, String op, String actor,
                          String node, String requestId, int attempt) {
    Context from = parent instanceof Context ? (Context) parent : Context.current();
    Span span = tracer.spanBuilder(kind + " " + op).setParent(from).setSpanKind(SpanKind.CLIENT)
      .setAttribute(REALM, realm).setAttribute(OP, op).setAttribute(REQUEST_ID, requestId)
      .setAttribute(ATTEMPT, (long) attempt).startSpan();
    setIfPresent(span, CATEGORY, category);
    setIfPresent(span, ACTOR, actor);
    setIfPresent(span, NODE, node);
    return wrap(span, from.with(span));
  }

  @Override
  public TraceSpan server(String traceparent, String tracestate, String realm, String category, String op,
                          String actor, String node, String requestId) {
    Context parent = traceparent == null ? Context.root()
      : propagator.extract(Context.root(), new Carrier(traceparent, tracestate), Carrier.GETTER);
    Span span = tracer.spanBuilder("handle " + op).setParent(parent).setSpanKind(SpanKind.SERVER)
      .setAttribute(REALM, realm).setAttribute(OP, op).setAttribute(ACTOR, actor).setAttribute(NODE, node)
      .startSpan();
    setIfPresent(span, CATEGORY, category);
    setIfPresent(span, REQUEST_ID, requestId);
    return wrap(span, parent.with(span));
  }

  private static void setIfPresent(Span span, AttributeKey<String> key, String value) {
    if (value != null) {
      span.setAttribute(key, value);
    }
  }

  private TraceSpan wrap(Span span, Context context) {
    if (!span.getSpanContext().isValid()) {
      span.end();
      return TraceSpan.NONE;
    }
    return new Live(span, context, propagator);
  }

  /** A started span and the context it heads. */
  private static final class Live implements TraceSpan {
    private final Span span;
    private final Context context;
    private final Carrier carrier = new Carrier(null, null);

    Live(Span span, Context context, TextMapPropagator propagator) {
      this.span = span;
      this.context = context;
      propagator.inject(context, carrier, Carrier.SETTER);
    }

    @Override
    public String traceparent() {
      return carrier.traceparent;
    }

    @Override
    public String tracestate() {
      return carrier.tracestate;
    }

    @Override
    public Scope enter(io.vertx.core.Context on) {
      ContextInternal duplicate = on == null ? null : ((ContextInternal) on).duplicate();
      if (duplicate == null || !TraceContexts.hold(duplicate, context)) {
        return enter();
      }
      ContextInternal before = duplicate.beginDispatch();
      Scope scope = enter();
      return () -> {
        scope.close();
        duplicate.endDispatch(before);
      };
    }

    @Override
    public Scope enter() {
      io.opentelemetry.context.Scope scope = TraceContexts.beachScope(context).makeCurrent();
      String before = MDC.get(MDC_TRACE_ID);
      MDC.put(MDC_TRACE_ID, span.getSpanContext().getTraceId());
      return () -> {
        scope.close();
        if (before == null) {
          MDC.remove(MDC_TRACE_ID);
        } else {
          MDC.put(MDC_TRACE_ID, before);
        }
      };
    }

    @Override
    public void end(int errorCode, String errorMessage) {
      if (errorCode == 0) {
        span.setAttribute(OUTCOME, "ok");
      } else {
        span.setAttribute(OUTCOME, "error").setAttribute(ERROR_CODE, (long) errorCode)
          .setStatus(StatusCode.ERROR, errorMessage == null ? "" : errorMessage);
      }
      span.end();
    }
  }

  /** The two W3C fields, as the propagator reads and writes them. */
  private static final class Carrier {
    static final TextMapGetter<Carrier> GETTER = new TextMapGetter<>() {
      @Override
      public Iterable<String> keys(Carrier c) {
        return List.of(TRACEPARENT, TRACESTATE);
      }

      @Override
      public String get(Carrier c, String key) {
        if (c == null) {
          return null;
        }
        return TRACEPARENT.equals(key) ? c.traceparent : TRACESTATE.equals(key) ? c.tracestate : null;
      }
    };
    static final TextMapSetter<Carrier> SETTER = (c, key, value) -> {
      if (c == null) {
        return;
      }
      if (TRACEPARENT.equals(key)) {
        c.traceparent = value;
      } else if (TRACESTATE.equals(key)) {
        c.tracestate = value.isEmpty() ? null : value;
      }
    };

    String traceparent;
    String tracestate;

    Carrier(String traceparent, String tracestate) {
      this.traceparent = traceparent;
      this.tracestate = tracestate;
    }
  }
}
