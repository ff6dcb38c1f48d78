package dev.beach.gateway.impl;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.metrics.ClientMetrics;
import io.vertx.core.spi.metrics.DatagramSocketMetrics;
import io.vertx.core.spi.metrics.EventBusMetrics;
import io.vertx.core.spi.metrics.HttpClientMetrics;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.metrics.PoolMetrics;
import io.vertx.core.spi.metrics.TCPMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;

/**
 * Vert.x's Micrometer metrics, except that HTTP servers are metered by {@link HttpServerMeters} (same meter names,
 * held instead of looked up per request). Everything else goes to Vert.x's implementation unchanged.
 */
public final class GatewayVertxMetrics implements VertxMetrics {

  private final VertxMetrics vertx;
  private final MeterRegistry registry;
  /** One per Vert.x: a node has one gateway, and a second HTTP server would share its meters like Vert.x's do. */
  private HttpServerMeters http;

  public GatewayVertxMetrics(VertxMetrics vertx, MeterRegistry registry) {
    this.vertx = vertx;
    this.registry = registry;
  }

  @Override
  public synchronized HttpServerMetrics<?, ?, ?> createHttpServerMetrics(HttpServerOptions options, SocketAddress localAddress) {
    if (http == null) {
      http = new HttpServerMeters(registry);
    }
    return http;
  }

  @Override
  public EventBusMetrics<?> createEventBusMetrics() {
    return vertx.createEventBusMetrics();
  }

  @Override
  public ClientMetrics<?, ?, ?> createClientMetrics(SocketAddress remoteAddress, String type, String namespace) {
    return vertx.createClientMetrics(remoteAddress, type, namespace);
  }

  @Override
  public HttpClientMetrics<?, ?, ?> createHttpClientMetrics(HttpClientOptions options) {
    return vertx.createHttpClientMetrics(options);
  }

  @Override
  public TCPMetrics<?> createNetServerMetrics(NetServerOptions options, SocketAddress localAddress) {
    return vertx.createNetServerMetrics(options, localAddress);
  }

  @Override
  public TCPMetrics<?> createNetClientMetrics(NetClientOptions options) {
    return vertx.createNetClientMetrics(options);
  }

  @Override
  public DatagramSocketMetrics createDatagramSocketMetrics(DatagramSocketOptions options) {
    return vertx.createDatagramSocketMetrics(options);
  }

  @Override
  public PoolMetrics<?, ?> createPoolMetrics(String poolType, String poolName, int maxPoolSize) {
    return vertx.createPoolMetrics(poolType, poolName, maxPoolSize);
  }

  @Override
  public void vertxCreated(io.vertx.core.Vertx created) {
    vertx.vertxCreated(created);
  }

  @Override
  public boolean isMetricsEnabled() {
    return vertx.isMetricsEnabled();
  }

  @Override
  public void close() {
    vertx.close();
  }
}
