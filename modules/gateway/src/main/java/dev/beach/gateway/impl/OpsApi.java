package dev.beach.gateway.impl;

import dev.beach.BeachNode;
import dev.beach.Readiness;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;

import java.util.function.BooleanSupplier;

/** What operators and tools fetch: probes, Prometheus metrics, the OpenAPI spec, the dashboard. */
final class OpsApi {

  /** Classpath folder the webui module ships the dashboard in. */
  static final String WEBROOT = "webroot";

  private final BeachNode node;
  private final PrometheusMeterRegistry registry;
  private final Buffer openapi;
  private final BooleanSupplier listening;
  private final boolean dashboard;

  OpsApi(BeachNode node, PrometheusMeterRegistry registry, Buffer openapi, BooleanSupplier listening, boolean dashboard) {
    this.node = node;
    this.registry = registry;
    this.openapi = openapi;
    this.listening = listening;
    this.dashboard = dashboard;
  }

  void register(ApiRouter api) {
    HealthCheckHandler live = HealthCheckHandler.create(node.vertx())
      .register("gateway", p -> p.complete(Status.OK()));
    // Ready once the node's start-up deployments run (BeachNode.readiness has the rule and its bound), not while it
    // drains; the 503 body lists what it waits for.
    HealthCheckHandler ready = HealthCheckHandler.create(node.vertx())
      .register("node", p -> {
        Readiness r = node.readiness();
        JsonObject data = new JsonObject().put("id", node.id());
        p.complete(r.ready() ? Status.OK(data) : Status.KO(data.put("waitingFor", new JsonArray(r.waitingFor()))));
      })
      .register("gateway", p -> p.complete(listening.getAsBoolean() ? Status.OK() : Status.KO()));
    api.get("/health/live", Access.PUBLIC, live);
    api.get("/health/ready", Access.PUBLIC, ready);
    api.get("/metrics", Access.ADMIN, PrometheusScrapingHandler.create(registry));
    api.get("/v1/openapi.yaml", Access.PUBLIC, ctx -> Replies.bytes(ctx, 200, "application/yaml; charset=utf-8", openapi));
    if (dashboard) {
      StaticHandler statics = StaticHandler.create(WEBROOT).setIndexPage("index.html");
      api.get("/", Access.PUBLIC, statics);
      // One route for GET and HEAD only: a route matching every method would turn an API 405 (wrong method)
      // into a 404, and separate GET and HEAD routes would turn an unknown GET into a 405.
      api.router().route("/*").method(io.vertx.core.http.HttpMethod.GET).method(io.vertx.core.http.HttpMethod.HEAD)
        .handler(statics);
    } else {
      api.get("/", Access.PUBLIC, this::pointer);
    }
  }

  /** Without the webui module on the classpath, {@code /} says where things are instead of faking a dashboard. */
  private void pointer(RoutingContext ctx) {
    String accept = ctx.request().getHeader(HttpHeaders.ACCEPT);
    if (accept != null && accept.contains("text/html")) {
      Replies.bytes(ctx, 200, "text/html; charset=utf-8", Buffer.buffer("<!doctype html><meta charset=utf-8>"
        + "<title>Beach gateway</title><h1>Beach gateway</h1>"
        + "<p>The dashboard is not installed on this node (add the beach-webui module to the classpath).</p>"
        + "<ul><li><a href=\"/v1/openapi.yaml\">API specification</a></li>"
        + "<li><a href=\"/v1/health\">health</a></li><li><a href=\"/v1/nodes\">nodes</a></li>"
        + "<li><a href=\"/v1/realms\">realms</a></li><li><a href=\"/metrics\">metrics</a></li></ul>"));
      return;
    }
    Replies.json(ctx, 200, new JsonObject()
      .put("name", "Beach gateway")
      .put("node", node.id())
      .put("dashboard", "not installed: add the beach-webui module to the classpath")
      .put("api", "/v1")
      .put("openapi", "/v1/openapi.yaml")
      .put("health", "/v1/health")
      .put("metrics", "/metrics"));
  }
}
