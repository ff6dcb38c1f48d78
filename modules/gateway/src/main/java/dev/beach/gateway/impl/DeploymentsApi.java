package dev.beach.gateway.impl;

import dev.beach.Beach;
import dev.beach.BeachException;
import dev.beach.Deployment;
import dev.beach.DeploymentStatus;
import dev.beach.ErrorCode;
import dev.beach.gateway.QuotaOptions;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.Set;

/**
 * Desired-state deployments: {@code PUT/GET/DELETE /v1/deployments/{name}}, {@code GET /v1/deployments},
 * {@code POST /v1/deployments/{name}/restart}.
 *
 * <p>Deployment names are cluster-wide, so the paths name no realm: the routes take any token and the deployment's
 * own {@code realm} field decides. The admin sees every deployment; a realm token sees, applies, removes and restarts
 * only its realm's, and another realm's deployment is 404 to it (it does not learn the name is taken).
 *
 * <p>Restart: {@link Beach#restartDeployment} bumps the deployment's restart revision, and the leader rolls its actors,
 * and only its (another deployment or actor sharing a category is left alone), onto the realm's current code, each
 * replacement running before its old actor stops. It answers at once with the status ({@code progressing} while
 * the actors roll; GET shows when it is {@code available} again).
 */
final class DeploymentsApi {

  private final Beach beach;
  private final long maxBodyBytes;
  private final QuotaOptions quotas;

  DeploymentsApi(Beach beach, long maxBodyBytes, QuotaOptions quotas) {
    this.beach = beach;
    this.maxBodyBytes = maxBodyBytes;
    this.quotas = quotas;
  }

  void register(ApiRouter api) {
    api.get("/v1/deployments", Access.ANY, this::list);
    api.get("/v1/deployments/:name", Access.ANY, this::one);
    api.withBody(HttpMethod.PUT, "/v1/deployments/:name", Access.ANY, Set.of(Bodies.JSON), maxBodyBytes, this::put);
    api.delete("/v1/deployments/:name", Access.ANY, this::remove);
    api.post("/v1/deployments/:name/restart", Access.ANY, this::restart);
    api.withBody(HttpMethod.POST, "/v1/deployments/:name/scale", Access.ANY, Set.of(Bodies.JSON), maxBodyBytes, this::scale);
    api.post("/v1/nodes/:id/drain", Access.ADMIN, this::drain);
  }

  private void drain(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    Replies.then(ctx, beach.drain(id), v -> Replies.json(ctx, 200, new JsonObject().put("node", id).put("drained", true)));
  }

  private static String name(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    if (name == null || !name.matches(Deployment.NAME_RULE)) {
      throw HttpErrors.bad("a deployment name must match " + Deployment.NAME_RULE + ", not '"
        + Bodies.abbreviate(String.valueOf(name)) + "'");
    }
    return name;
  }

  private static String realmOf(DeploymentStatus s) {
    return s.deployment() == null ? null : s.deployment().getString("realm");
  }

  private static BeachException notFound(String name) {
    return new BeachException(ErrorCode.NOT_FOUND, "no deployment '" + name + "'");
  }

  /** The caller's view of one deployment: absent (404) when it belongs to a realm the caller may not use. */
  private Future<DeploymentStatus> visible(RoutingContext ctx, String name) {
    Principal p = Auth.principal(ctx);
    return beach.deployment(name).compose(s -> p.mayUse(realmOf(s)) ? Future.succeededFuture(s)
      : Future.failedFuture(notFound(name)));
  }

  private void list(RoutingContext ctx) {
    Principal p = Auth.principal(ctx);
    Replies.then(ctx, beach.deployments(), all -> {
      JsonArray out = new JsonArray();
      for (DeploymentStatus s : all) {
        if (p.mayUse(realmOf(s))) {
          out.add(s.toJson());
        }
      }
      Replies.json(ctx, 200, out);
    });
  }

  private void one(RoutingContext ctx) {
    Replies.then(ctx, visible(ctx, name(ctx)), s -> Replies.json(ctx, 200, s.toJson()));
  }

  private void put(RoutingContext ctx) {
    String name = name(ctx);
    JsonObject body = Bodies.jsonObject(ctx);
    Object bodyName = body.getValue("name");
    if (bodyName != null && !name.equals(bodyName)) {
      throw HttpErrors.bad("the body names deployment '" + Bodies.abbreviate(String.valueOf(bodyName))
        + "' but the path names '" + name + "': leave 'name' out of the body or make them match");
    }
    body.put("name", name);
    Deployment d = new Deployment(body).validate();
    Principal p = Auth.principal(ctx);
    if (!p.mayUse(d.getRealm())) {
      throw Auth.forbidden(p, d.getRealm());
    }
    int count = d.isPerNode() ? d.getPerNode() : d.instances();
    if (count > quotas.getInstancesPerRequest()) {
      throw HttpErrors.bad("'" + (d.isPerNode() ? "perNode" : "instances") + "' is " + count + ": a deployment may ask "
        + "for at most " + quotas.getInstancesPerRequest() + " actors (gateway.quotas.instancesPerRequest)");
    }
    // Whether it exists decides 201 or 200; one of another realm is not replaced by a realm token (404 to it).
    Future<DeploymentStatus> existing = beach.deployments().compose(all -> {
      for (DeploymentStatus s : all) {
        if (s.name().equals(name)) {
          return p.mayUse(realmOf(s)) ? Future.succeededFuture(s) : Future.failedFuture(notFound(name));
        }
      }
      return Future.succeededFuture(null);
    });
    // The realm's actor quota holds for deployments as for POST .../actors: what runs, less what this deployment
    // runs now, plus what it will run (per-node: on every node there is now).
    Future<DeploymentStatus> allowed = existing.compose(old -> beach.nodes().compose(nodes -> {
      int running = beach.directory(d.getRealm(), null).size() - (old == null ? 0 : old.actual());
      int wanted = d.isPerNode() ? count * Math.max(1, nodes.size()) : count;
      if (running + wanted > quotas.getActorsPerRealm()) {
        return Future.failedFuture(new BeachException(ErrorCode.CONFLICT, "realm '" + d.getRealm() + "' has " + running
          + " other actors: " + wanted + " more would pass its limit of " + quotas.getActorsPerRealm()
          + " (gateway.quotas.actorsPerRealm)", d.getRealm(), null, null, null, null, null));
      }
      return Future.succeededFuture(old);
    }));
    Replies.then(ctx, allowed.compose(old -> beach.apply(d).map(s -> old != null ? 200 : 201).compose(code ->
        beach.deployment(name).otherwiseEmpty().map(s -> new Object[] {code, s}))),
      r -> {
        int code = (Integer) r[0];
        if (code == 201) {
          ctx.response().putHeader("Location", "/v1/deployments/" + name);
        }
        Replies.json(ctx, code, r[1] == null ? new JsonObject().put("name", name) : ((DeploymentStatus) r[1]).toJson());
      });
  }

  /** {@code {"count": N}}: instances, or perNode for a per-node one. Not a re-PUT: private params stay as stored. */
  private void scale(RoutingContext ctx) {
    String name = name(ctx);
    Object count = Bodies.jsonObject(ctx).getValue("count");
    if (!(count instanceof Integer n) || n < 0) {
      throw HttpErrors.bad("the body must be {\"count\": N} with N an integer ≥ 0");
    }
    if (n > quotas.getInstancesPerRequest()) {
      throw HttpErrors.bad("'count' is " + n + ": a deployment may ask for at most " + quotas.getInstancesPerRequest()
        + " actors (gateway.quotas.instancesPerRequest)");
    }
    Replies.then(ctx, visible(ctx, name).compose(s -> beach.scale(name, n)), s -> Replies.json(ctx, 200, s.toJson()));
  }

  private void remove(RoutingContext ctx) {
    String name = name(ctx);
    Replies.then(ctx, visible(ctx, name).compose(s -> beach.remove(name)), v -> Replies.noContent(ctx));
  }

  private void restart(RoutingContext ctx) {
    String name = name(ctx);
    Replies.then(ctx, visible(ctx, name).compose(s -> beach.restartDeployment(name)),
      s -> Replies.json(ctx, 200, s.toJson().put("restartRevision", s.deployment().getLong("restartRevision", 0L))));
  }
}
