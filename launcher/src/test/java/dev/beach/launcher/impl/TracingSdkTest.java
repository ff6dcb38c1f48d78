package dev.beach.launcher.impl;

import dev.beach.NodeOptions;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Beach's defaults for the SDK: the exporter follows whether an OTLP endpoint is named; gRPC is refused clearly. */
class TracingSdkTest {

  @Test
  void anOtlpEndpointMeansOtlpOverHttpOtherwiseTheLog() {
    NodeOptions options = new NodeOptions().setTracingRatio(0.25);
    Map<String, String> none = TracingSdk.defaults(options, key -> null);
    assertEquals("logging", none.get("otel.traces.exporter"));
    assertEquals("0.25", none.get("otel.traces.sampler.arg"));
    Map<String, String> otlp = TracingSdk.defaults(options,
      key -> key.equals("otel.exporter.otlp.endpoint") ? "http://collector:4318" : null);
    assertEquals("otlp", otlp.get("otel.traces.exporter"));
    assertEquals("http/protobuf", otlp.get("otel.exporter.otlp.protocol"));
    assertEquals("otlp", TracingSdk.defaults(options,
      key -> key.equals("otel.exporter.otlp.traces.endpoint") ? "http://c:4318/v1/traces" : null)
      .get("otel.traces.exporter"));
  }

  @Test
  void grpcIsRefusedWithWhatToDoInstead() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TracingSdk.defaults(
      new NodeOptions(), key -> key.equals("otel.exporter.otlp.protocol") ? "grpc" : null));
    assertTrue(e.getMessage().contains("OTEL_EXPORTER_OTLP_PROTOCOL is 'grpc'"), e.getMessage());
    assertTrue(e.getMessage().contains("http/protobuf"), e.getMessage());
  }
}
