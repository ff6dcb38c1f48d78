package dev.beach.launcher.impl;

import dev.beach.NodeOptions;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;

import java.util.Map;

/**
 * The OpenTelemetry SDK a node with {@code tracing.enabled} reports its spans through, configured the
 * OpenTelemetry way: the standard {@code OTEL_*} variables (or {@code -Dotel.*} properties) win over the defaults
 * here, which come from {@code cluster.yaml}: the sampler samples {@code tracing.ratio} of new traces and
 * follows the caller's decision otherwise.
 */
final class TracingSdk {

  private TracingSdk() {
  }

  /** Builds the SDK and registers it as the global one, where the node's runtime finds it. */
  static OpenTelemetrySdk install(NodeOptions options) {
    Map<String, String> defaults = Map.of(
      "otel.service.name", "beach",
      "otel.traces.sampler", "parentbased_traceidratio",
      "otel.traces.sampler.arg", Double.toString(options.getTracingRatio()),
      // Only the logging exporter ships with the launcher: OTLP needs opentelemetry-exporter-otlp on the class
      // path (docs/OBSERVABILITY.md). Beach makes no metrics or log records through OpenTelemetry.
      "otel.traces.exporter", "logging",
      "otel.metrics.exporter", "none",
      "otel.logs.exporter", "none");
    return AutoConfiguredOpenTelemetrySdk.builder().addPropertiesSupplier(() -> defaults).setResultAsGlobal().build()
      .getOpenTelemetrySdk();
  }
}
