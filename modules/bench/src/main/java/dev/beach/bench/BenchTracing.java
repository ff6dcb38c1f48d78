package dev.beach.bench;

import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;

import java.util.Collection;
import java.util.concurrent.atomic.LongAdder;

/**
 * Tracing for {@code --trace} runs: every request sampled, spans through the SDK's batch processor (what a
 * deployment uses) to an exporter that counts and drops them, so the figure is Beach's and the SDK's cost, not a
 * collector's.
 */
final class BenchTracing {

  static final LongAdder EXPORTED = new LongAdder();

  private BenchTracing() {
  }

  static OpenTelemetrySdk install() {
    SpanExporter counting = new SpanExporter() {
      @Override
      public CompletableResultCode export(Collection<SpanData> spans) {
        EXPORTED.add(spans.size());
        return CompletableResultCode.ofSuccess();
      }

      @Override
      public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
      }

      @Override
      public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
      }
    };
    return OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder().setSampler(Sampler.alwaysOn())
      .addSpanProcessor(BatchSpanProcessor.builder(counting).build()).build()).buildAndRegisterGlobal();
  }
}
