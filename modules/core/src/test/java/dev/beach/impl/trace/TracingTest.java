package dev.beach.impl.trace;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The two tracings: off hands out shared constants; on, a server span is the child of the caller's span. */
class TracingTest {

  @Test
  void offAllocatesNothingPerRequest() {
    Tracing off = Tracing.OFF;
    assertNull(off.current());
    TraceSpan client = off.client(null, "request", "r", "c", "op", "a", "n", "id", 0);
    TraceSpan server = off.server(null, null, "r", "c", "op", "a", "n", "id");
    assertSame(TraceSpan.NONE, client);
    assertSame(TraceSpan.NONE, server);
    assertSame(TraceSpan.Scope.NONE, server.enter());
    assertSame(TraceSpan.Scope.NONE, server.enter(null), "no duplicated context either");
    assertNull(client.traceparent());
  }

  @Test
  void serverSpanIsTheChildOfTheCallersSpanAndSetsTheMdcWhileEntered() {
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    try (OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
      .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build()).build()) {
      Tracing tracing = new OtelTracing(sdk);
      TraceSpan client = tracing.client(Context.root(), "request", "r", "cat", "op", "actor-1", "node-b", "req-1", 2);
      assertTrue(client.traceparent().startsWith("00-"), client.traceparent());
      TraceSpan server = tracing.server(client.traceparent(), client.tracestate(), "r", "cat", "op", "actor-1",
        "node-b", "req-1");
      TraceSpan.Scope scope = server.enter();
      String traceId = MDC.get(OtelTracing.MDC_TRACE_ID);
      TraceSpan nested = tracing.client(tracing.current(), "request", "r", "other", "op2", null, null, "req-2", 0);
      scope.close();
      assertNull(MDC.get(OtelTracing.MDC_TRACE_ID));
      nested.end(0, null);
      server.end(409, "conflict");
      client.end(409, "conflict");

      List<SpanData> spans = exporter.getFinishedSpanItems();
      assertEquals(3, spans.size());
      SpanData n = spans.get(0);
      SpanData s = spans.get(1);
      SpanData c = spans.get(2);
      assertEquals(c.getTraceId(), traceId);
      assertEquals(c.getTraceId(), s.getTraceId());
      assertEquals(c.getSpanId(), s.getParentSpanId());
      assertEquals(s.getSpanId(), n.getParentSpanId());
      assertEquals(SpanKind.SERVER, s.getKind());
      assertEquals("handle op", s.getName());
      assertEquals(StatusCode.ERROR, s.getStatus().getStatusCode());
      assertEquals(409L, s.getAttributes().get(OtelTracing.ERROR_CODE));
      assertEquals(2L, c.getAttributes().get(OtelTracing.ATTEMPT));
      assertEquals("ok", n.getAttributes().get(OtelTracing.OUTCOME));
    }
  }

  @Test
  void anUnsampledCallStillCarriesItsContextButRecordsNothing() {
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    try (OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
      .setSampler(Sampler.alwaysOff()).addSpanProcessor(SimpleSpanProcessor.create(exporter)).build()).build()) {
      TraceSpan client = new OtelTracing(sdk).client(Context.root(), "request", "r", "c", "op", null, null, "id", 0);
      String tp = client.traceparent();
      assertEquals(0, Integer.parseInt(tp.substring(tp.length() - 2), 16) & 1, "sampled flag of " + tp);
      client.end(0, null);
      assertTrue(exporter.getFinishedSpanItems().isEmpty());
    }
  }
}
