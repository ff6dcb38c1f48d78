package dev.beach.launcher.impl;

import dev.beach.BeachException;
import dev.beach.BeachNode;
import dev.beach.gateway.Gateway;
import dev.beach.gateway.GatewayOptions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** The one place the launcher touches the gateway module: check its section, start it, stop it. */
final class GatewayStarter {

  private final GatewayOptions options;
  private volatile Gateway gateway;

  /** Validates the {@code gateway} section now, so a mistake stops {@code beach node} before it joins the cluster. */
  GatewayStarter(JsonObject section) {
    try {
      this.options = new GatewayOptions(section).validate();
    } catch (BeachException e) {
      java.util.regex.Matcher key = java.util.regex.Pattern.compile("gateway\\.[A-Za-z0-9_.-]*[A-Za-z0-9_-]").matcher(e.getMessage());
      throw new ConfigException(key.find() ? key.group() : "gateway", e.getMessage());
    }
  }

  Future<Void> start(BeachNode node) {
    return Gateway.start(node, options).map(g -> {
      gateway = g;
      return null;
    });
  }

  /** The URL the gateway serves, once started. */
  String url() {
    Gateway g = gateway;
    if (g == null) {
      return "off";
    }
    boolean tls = options.toJson().containsKey("tls");
    return (tls ? "https" : "http") + "://" + hostForUrl(options.toJson().getString("host")) + ":" + g.port();
  }

  Future<Void> close() {
    Gateway g = gateway;
    gateway = null;
    return g == null ? Future.succeededFuture() : g.close();
  }

  private static String hostForUrl(String host) {
    if (host == null || host.equals("0.0.0.0")) {
      return "127.0.0.1";
    }
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }
}
