package dev.beach.gateway;

import dev.beach.BeachException;
import dev.beach.BeachNode;
import dev.beach.ErrorCode;
import dev.beach.gateway.impl.GatewayVerticle;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The HTTP/JSON face of a Beach node: the v1 API, Server-Sent Events, Prometheus metrics, probes, the OpenAPI
 * spec and the dashboard. Any node may run one; each sees the whole cluster.
 *
 * <pre>{@code
 * Gateway.start(node, new GatewayOptions().setPort(0))
 *   .onSuccess(gw -> System.out.println("http://127.0.0.1:" + gw.port() + "/v1/health"));
 * }</pre>
 */
public final class Gateway {

  /** Classpath location of the spec served at {@code /v1/openapi.yaml}. */
  public static final String OPENAPI_RESOURCE = "dev/beach/gateway/openapi.yaml";

  private final BeachNode node;
  private final GatewayVerticle verticle;
  private final String deploymentId;
  private final PrometheusMeterRegistry ownRegistry;

  private Gateway(BeachNode node, GatewayVerticle verticle, String deploymentId, PrometheusMeterRegistry ownRegistry) {
    this.node = node;
    this.verticle = verticle;
    this.deploymentId = deploymentId;
    this.ownRegistry = ownRegistry;
  }

  /**
   * Starts a gateway for {@code node}. Fails with 400 when the options are invalid, and when the gateway would
   * bind to a non-loopback address without any token (an open gateway on a network is a remote shell).
   */
  public static Future<Gateway> start(BeachNode node, GatewayOptions options) {
    GatewayOptions opts = new GatewayOptions(options);
    try {
      opts.validate();
    } catch (BeachException e) {
      return Future.failedFuture(e);
    }
    // Host resolution and the classpath read may block: keep them off the event loop.
    return node.vertx().executeBlocking(() -> {
      boolean loopback = isLoopback(opts.getHost());
      if (!opts.hasTokens() && !loopback) {
        throw new BeachException(ErrorCode.BAD_REQUEST, "refusing to start an open gateway on " + opts.getHost()
          + ", which is not a loopback address: set an admin token (gateway.tokens.admin in cluster.yaml, or the"
          + " environment variable BEACH_GATEWAY_TOKENS_ADMIN) or bind gateway.host to 127.0.0.1");
      }
      return new Object[] {readOpenApi(), hasDashboard(), loopback};
    }).compose(loaded -> {
      PrometheusMeterRegistry shared = GatewayMetrics.current();
      PrometheusMeterRegistry own = shared == null ? GatewayMetrics.newRegistry() : null;
      GatewayVerticle verticle = new GatewayVerticle(node, opts, shared != null ? shared : own,
        (Buffer) loaded[0], (Boolean) loaded[1], (Boolean) loaded[2]);
      return node.vertx().deployVerticle(verticle)
        .map(id -> new Gateway(node, verticle, id, own))
        .onFailure(t -> {
          if (own != null) {
            own.close();
          }
        });
    });
  }

  /** The port the gateway listens on (the chosen one when the options said 0). */
  public int port() {
    return verticle.port();
  }

  /** The node this gateway serves. */
  public BeachNode node() {
    return node;
  }

  /** The router, to add routes when embedding the gateway; the API's routes are already on it. */
  public Router router() {
    return verticle.router();
  }

  /** Closes the event streams and the server; the node keeps running. */
  public Future<Void> close() {
    return node.vertx().undeploy(deploymentId)
      .recover(t -> Future.succeededFuture()) // already undeployed with its Vert.x
      .onComplete(ar -> {
        if (ownRegistry != null) {
          ownRegistry.close();
        }
      });
  }

  static boolean isLoopback(String host) throws UnknownHostException {
    for (InetAddress a : InetAddress.getAllByName(host)) {
      if (!a.isLoopbackAddress()) {
        return false;
      }
    }
    return true;
  }

  private static Buffer readOpenApi() throws IOException {
    try (InputStream in = Gateway.class.getClassLoader().getResourceAsStream(OPENAPI_RESOURCE)) {
      if (in == null) {
        throw new IOException("the gateway jar lacks " + OPENAPI_RESOURCE);
      }
      return Buffer.buffer(in.readAllBytes());
    }
  }

  private static boolean hasDashboard() {
    return Gateway.class.getClassLoader().getResource("webroot/index.html") != null;
  }
}
