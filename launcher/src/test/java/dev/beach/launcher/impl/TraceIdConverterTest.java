package dev.beach.launcher.impl;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import dev.beach.spi.TraceSupport;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code %traceId}: the MDC's trace id around a handler, the held trace in its callbacks, nothing outside a trace. */
class TraceIdConverterTest {

  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private final Vertx vertx = Vertx.vertx();
  private final TraceIdConverter converter = new TraceIdConverter();
  private final ch.qos.logback.classic.Logger logger =
    ((LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory()).getLogger("test");

  @AfterEach
  void close() throws Exception {
    MDC.clear();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void outsideATraceALineGetsNothing() {
    assertEquals("", converter.convert(event()));
  }

  @Test
  void aLineFromTheHandlerTakesTheMdcTraceId() {
    MDC.put(TraceIdConverter.MDC_KEY, TRACE);
    assertEquals(" trace_id=" + TRACE, converter.convert(event()));
  }

  @Test
  void aLineFromACallbackTakesTheTraceItsContextHolds() throws Exception {
    ContextInternal work = ((ContextInternal) vertx.getOrCreateContext()).duplicate();
    Span span = Span.wrap(SpanContext.create(TRACE, "00f067aa0ba902b7", TraceFlags.getSampled(), TraceState.getDefault()));
    assertTrue(TraceSupport.hold(work, Context.root().with(span)), "this Vert.x has no slot for the trace");
    CompletableFuture<String> line = new CompletableFuture<>();
    // A timer set on the work's context: its callback runs there later, with no MDC on the thread.
    work.runOnContext(v -> vertx.setTimer(1, t -> line.complete(converter.convert(event()))));
    assertEquals(" trace_id=" + TRACE, line.get(10, TimeUnit.SECONDS));
    CompletableFuture<String> elsewhere = new CompletableFuture<>();
    vertx.getOrCreateContext().runOnContext(v -> elsewhere.complete(converter.convert(event())));
    assertEquals("", elsewhere.get(10, TimeUnit.SECONDS), "another context took the work's trace");
  }

  private LoggingEvent event() {
    return new LoggingEvent("test", logger, Level.INFO, "a line", null, null);
  }
}
