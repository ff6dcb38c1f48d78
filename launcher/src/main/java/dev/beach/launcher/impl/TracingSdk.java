package dev.beach.launcher.impl;

import dev.beach.NodeOptions;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The OpenTelemetry SDK a node with {@code tracing.enabled} reports its spans through, configured the
 * OpenTelemetry way: the standard {@code OTEL_*} variables (or {@code -Dotel.*} properties) win over the defaults
 * here, which come from {@code cluster.yaml}: the sampler samples {@code tracing.ratio} of new traces and
 * follows the caller's decision otherwise.
 */
final class TracingSdk {

  /** The OTLP endpoint settings: any of them set means "send to a collector". */
  private static final String[] OTLP_ENDPOINTS = {"otel.exporter.otlp.endpoint", "otel.exporter.otlp.traces.endpoint"};
  private static final String[] OTLP_PROTOCOLS = {"otel.exporter.otlp.protocol", "otel.exporter.otlp.traces.protocol"};

  private TracingSdk() {
  }

  /** Builds the SDK and registers it as the global one, where the node's runtime finds it. */
  static OpenTelemetrySdk install(NodeOptions options) {
    Map<String, String> defaults = defaults(options, TracingSdk::setting);
    return AutoConfiguredOpenTelemetrySdk.builder().addPropertiesSupplier(() -> defaults).setResultAsGlobal().build()
      .getOpenTelemetrySdk();
  }

  /**
   * Beach's defaults, given how the {@code otel.*} settings are set ({@code setting}: a property name to its value
   * from {@code -D} or the {@code OTEL_*} variable, null when unset).
   *
   * @throws IllegalArgumentException for an OTLP protocol the launcher cannot speak (anything but http/protobuf)
   */
  static Map<String, String> defaults(NodeOptions options, Function<String, String> setting) {
    boolean collector = false;
    for (String key : OTLP_ENDPOINTS) {
      String v = setting.apply(key);
      collector |= v != null && !v.isBlank();
    }
    for (String key : OTLP_PROTOCOLS) {
      String v = setting.apply(key);
      if (v != null && !v.isBlank() && !v.trim().equalsIgnoreCase("http/protobuf")) {
        throw new IllegalArgumentException(key.toUpperCase(Locale.ROOT).replace('.', '_') + " is '" + v
          + "': the launcher sends OTLP as http/protobuf only (a collector's port 4318); it ships no gRPC sender");
      }
    }
    Map<String, String> defaults = new HashMap<>();
    defaults.put("otel.service.name", "beach");
    defaults.put("otel.traces.sampler", "parentbased_traceidratio");
    defaults.put("otel.traces.sampler.arg", Double.toString(options.getTracingRatio()));
    // An OTLP endpoint named is a collector to send to; without one, spans go to the log (never to a default
    // localhost:4318 that nobody may listen on). The OTLP exporter ships over the JDK's HTTP client: http/protobuf.
    defaults.put("otel.traces.exporter", collector ? "otlp" : "logging");
    defaults.put("otel.exporter.otlp.protocol", "http/protobuf");
    // Beach makes no metrics or log records through OpenTelemetry.
    defaults.put("otel.metrics.exporter", "none");
    defaults.put("otel.logs.exporter", "none");
    return defaults;
  }

  /** A setting as the SDK's autoconfiguration reads it: the system property, else the environment variable. */
  private static String setting(String property) {
    String v = System.getProperty(property);
    return v != null ? v : System.getenv(property.toUpperCase(Locale.ROOT).replace('.', '_'));
  }
}
