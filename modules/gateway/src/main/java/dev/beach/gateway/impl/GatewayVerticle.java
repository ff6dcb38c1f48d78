package dev.beach.gateway.impl;

import dev.beach.BeachNode;
import dev.beach.gateway.GatewayOptions;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's HTTP server, router and event hub on one context, so the hub's client list and timers
 * need no locks.
 */
public final class GatewayVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(GatewayVerticle.class);

  private final BeachNode node;
  private final GatewayOptions options;
  private final PrometheusMeterRegistry registry;
  private final Buffer openapi;
  private final boolean dashboard;
  private final boolean loopback;
  private Timeouts timeouts;
  private ApiRouter api;
  private EventHub hub;
  private LogsApi logs;
  private HttpServer server;
  private Gauge streams;
  private volatile boolean listening;

  public GatewayVerticle(BeachNode node, GatewayOptions options, PrometheusMeterRegistry registry, Buffer openapi,
                         boolean dashboard, boolean loopback) {
    this.node = node;
    this.loopback = loopback;
    this.options = options;
    this.registry = registry;
    this.openapi = openapi;
    this.dashboard = dashboard;
  }

  @Override
  public Future<?> start() {
    Auth auth = new Auth(options);
    timeouts = new Timeouts(vertx, options.getHeaderTimeoutMs(), options.getIdleTimeoutMs());
    api = new ApiRouter(vertx, auth, timeouts, HttpSpans.of(node.id()));
    hub = new EventHub(vertx, options.getSseHeartbeatMs(), options.getQuotas().getStreamsPerToken());
    // Dispatch first: it carries nearly every request, and vertx-web tries routes in the order they were added.
    // No other route takes POST on its path, so the order changes no answer.
    new DispatchApi(node, options.getMaxBodyBytes(), timeouts).register(api);
    new ClusterApi(node).register(api);
    new ActorApi(node.beach(), options.getMaxBodyBytes(), options.getQuotas()).register(api);
    JobRoutes.mount(api, node.beach(), dev.beach.compute.Jobs.create(node), options.getMaxBodyBytes(), options.getQuotas());
    new CodeApi(node.beach(), options.getMaxCodeBytes()).register(api);
    new AdminApi(node).register(api);
    new DeploymentsApi(node.beach(), options.getMaxBodyBytes(), options.getQuotas()).register(api);
    logs = new LogsApi(vertx, node.beach(), options.getSseHeartbeatMs());
    logs.register(api);
    hub.register(api);
    new OpsApi(node, registry, openapi, () -> listening, dashboard).register(api);
    api.finish();

    HttpServerOptions serverOptions = new HttpServerOptions()
      .setHost(options.getHost())
      .setPort(options.getPort())
      .setCompressionSupported(true)
      .setCompressionContentSizeThreshold(1024)
      // Hostile clients: bounded request line and headers (answered 414/431 by FrontDoor.invalid).
      .setMaxInitialLineLength(8192)
      .setMaxHeaderSize(16384)
      // HTTP/1.1 only: FrontDoor and Timeouts reason about one exchange at a time per connection, and a
      // cleartext upgrade to HTTP/2 would bypass the Host and framing rules they enforce.
      .setHttp2ClearTextEnabled(false);
    if (options.getTlsCertPath() != null) {
      serverOptions.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
        .setKeyPath(options.getTlsKeyPath()).setCertPath(options.getTlsCertPath()));
    }
    server = vertx.createHttpServer(serverOptions)
      .connectionHandler(timeouts::connected)
      .invalidRequestHandler(FrontDoor::invalid)
      .requestHandler(new FrontDoor(options, loopback, timeouts, api.router()));
    timeouts.start();
    streams = Gauge.builder("beach.gateway.event.streams", hub, EventHub::clients)
      .description("Server-Sent Event streams open on this gateway")
      .tag("node", node.id())
      .register(registry);
    return hub.start()
      .compose(v -> server.listen())
      .onSuccess(s -> {
        listening = true;
        LOG.info("gateway of node {} listening on {}://{}:{}{}", node.id(), options.getTlsCertPath() == null ? "http" : "https",
          options.getHost(), s.actualPort(), auth.open() ? " (open: no tokens configured, loopback only)" : "");
      });
  }

  @Override
  public Future<?> stop() {
    listening = false;
    registry.remove(streams);
    logs.stop();
    timeouts.stop();
    return Future.join(hub.stop(), server.close());
  }

  public int port() {
    return server.actualPort();
  }

  public Router router() {
    return api.router();
  }

  public ApiRouter api() {
    return api;
  }
}
