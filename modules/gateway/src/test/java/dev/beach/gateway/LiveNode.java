package dev.beach.gateway;

import dev.beach.ActorSpec;
import dev.beach.BeachNode;
import dev.beach.NodeOptions;
import dev.beach.testkit.Await;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

import java.util.List;

/** A single in-JVM node (plain Vert.x) with a gateway on a free port, for one test class. */
public final class LiveNode implements AutoCloseable {

  public final Vertx vertx;
  public final BeachNode node;
  public final Gateway gateway;
  public final Http http;

  private LiveNode(Vertx vertx, BeachNode node, Gateway gateway) {
    this.vertx = vertx;
    this.node = node;
    this.gateway = gateway;
    this.http = new Http("http://127.0.0.1:" + gateway.port());
  }

  public static LiveNode start() {
    return start(new GatewayOptions());
  }

  public static LiveNode start(GatewayOptions options) {
    return start(options, new VertxOptions());
  }

  public static LiveNode start(GatewayOptions options, VertxOptions vertxOptions) {
    // Metered the way beach node meters it: Vert.x's Micrometer metrics with the gateway's HTTP meters.
    Vertx vertx = vertxOptions.getMetricsOptions() != null && vertxOptions.getMetricsOptions().isEnabled()
      ? Vertx.builder().with(vertxOptions).withMetrics(GatewayMetrics.factory()).build()
      : Vertx.vertx(vertxOptions);
    try {
      BeachNode node = Await.result(BeachNode.start(vertx, new NodeOptions().setRequestTimeoutMs(5000).setDrainTimeoutMs(500)));
      Gateway gateway = Await.result(Gateway.start(node, new GatewayOptions(options).setPort(0)));
      return new LiveNode(vertx, node, gateway);
    } catch (RuntimeException | Error e) {
      vertx.close();
      throw e;
    }
  }

  public List<String> deploy(String realm, Class<?> type, String category, int instances) {
    return Await.result(node.beach().deploy(new ActorSpec().setRealm(realm).setClassName(type.getName())
      .addCategory(category).setInstances(instances)));
  }

  @Override
  public void close() {
    try {
      Await.result(gateway.close());
      Await.result(node.close());
    } finally {
      Await.result(vertx.close());
    }
  }
}
