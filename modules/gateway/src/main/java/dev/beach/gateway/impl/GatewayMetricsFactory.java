package dev.beach.gateway.impl;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.metrics.MetricsOptions;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.core.spi.metrics.VertxMetrics;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.backends.BackendRegistries;

/** Vert.x's Micrometer metrics factory, with the gateway's HTTP server meters ({@link GatewayVertxMetrics}). */
public final class GatewayMetricsFactory implements VertxMetricsFactory {

  private final MicrometerMetricsFactory micrometer = new MicrometerMetricsFactory();

  @Override
  public VertxMetrics metrics(VertxOptions options) {
    VertxMetrics vertx = micrometer.metrics(options);
    MetricsOptions metrics = options.getMetricsOptions();
    String name = metrics instanceof MicrometerMetricsOptions ? ((MicrometerMetricsOptions) metrics).getRegistryName()
      : MicrometerMetricsOptions.DEFAULT_REGISTRY_NAME;
    MeterRegistry registry = BackendRegistries.getNow(name);
    return registry == null ? vertx : new GatewayVertxMetrics(vertx, registry);
  }

  @Override
  public MetricsOptions newOptions() {
    return micrometer.newOptions();
  }

  @Override
  public MetricsOptions newOptions(MetricsOptions options) {
    return micrometer.newOptions(options);
  }

  @Override
  public MetricsOptions newOptions(JsonObject json) {
    return micrometer.newOptions(json);
  }
}
