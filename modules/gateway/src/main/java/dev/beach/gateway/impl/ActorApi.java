package dev.beach.gateway.impl;

import dev.beach.ActorInfo;
import dev.beach.ActorSpec;
import dev.beach.Address;
import dev.beach.Beach;
import dev.beach.BeachException;
import dev.beach.ErrorCode;
import dev.beach.gateway.QuotaOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** Actors of a realm: list (with live stats), deploy, stop, rolling restart. */
final class ActorApi {

  /** The listing's header naming the nodes that did not answer in time (comma-separated ids; empty when none). */
  static final String MISSING_NODES = "X-Missing-Nodes";

  private final Beach beach;
  private final long maxBodyBytes;
  private final QuotaOptions quotas;

  ActorApi(Beach beach, long maxBodyBytes, QuotaOptions quotas) {
    this.beach = beach;
    this.maxBodyBytes = maxBodyBytes;
    this.quotas = quotas;
  }

  void register(ApiRouter api) {
    api.get("/v1/realms/:realm/actors", Access.REALM, this::list);
    api.withBody(HttpMethod.POST, "/v1/realms/:realm/actors", Access.REALM, Set.of(Bodies.JSON), maxBodyBytes, this::deploy);
    api.delete("/v1/realms/:realm/actors", Access.REALM, this::stopCategory);
    api.delete("/v1/realms/:realm/actors/:id", Access.REALM, this::stopOne);
    api.post("/v1/realms/:realm/restart", Access.REALM, this::restart);
  }

  private void list(RoutingContext ctx) {
    String realm = Params.realm(ctx);
    String category = Params.categoryFilter(ctx);
    String nodeFilter = Params.query(ctx, "node");
    int offset = (int) Params.longParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
    int limit = (int) Params.longParam(ctx, "limit", Integer.MAX_VALUE, 1, Integer.MAX_VALUE);
    Replies.then(ctx, ClusterApi.Realms.requireKnown(beach, realm).compose(v -> beach.listActors(realm, category)), listing -> {
      List<ActorInfo> actors = listing.actors();
      List<ActorInfo> selected = nodeFilter == null ? actors
        : actors.stream().filter(a -> nodeFilter.equals(a.node())).collect(Collectors.toList());
      JsonArray out = new JsonArray();
      // ActorInfo never carries parameters, so private ("_") ones cannot leak from here.
      selected.stream().skip(offset).limit(limit).forEach(a -> out.add(a.toJson()));
      ctx.response().putHeader("X-Total-Count", String.valueOf(selected.size()));
      // Nodes that did not answer within the listing's bound: their actors are missing from the answer.
      ctx.response().putHeader(MISSING_NODES, String.join(",", listing.missing()));
      Replies.json(ctx, 200, out);
    });
  }

  private void deploy(RoutingContext ctx) {
    String realm = Params.realm(ctx);
    JsonObject body = Bodies.jsonObject(ctx);
    Object named = body.getValue("realm");
    if (named != null && !realm.equals(named)) {
      throw HttpErrors.bad("the body names realm '" + named + "' but the path names '" + realm
        + "': leave 'realm' out of the body");
    }
    Set<String> unknown = new TreeSet<>(body.fieldNames());
    unknown.removeAll(ActorSpec.JSON_FIELDS);
    if (!unknown.isEmpty()) {
      throw HttpErrors.bad("unknown field(s) " + unknown + " in the actor spec: allowed are " + ActorSpec.JSON_FIELDS);
    }
    ActorSpec spec = new ActorSpec(body).setRealm(realm).validate();
    if (spec.getInstances() > quotas.getInstancesPerRequest()) {
      throw HttpErrors.bad("'instances' is " + spec.getInstances() + ": one request may start at most "
        + quotas.getInstancesPerRequest() + " actors (gateway.quotas.instancesPerRequest)");
    }
    int running = beach.directory(realm, null).size();
    if (running + spec.getInstances() > quotas.getActorsPerRealm()) {
      throw new BeachException(ErrorCode.CONFLICT, "realm '" + realm + "' has " + running + " actors: " + spec.getInstances()
        + " more would pass its limit of " + quotas.getActorsPerRealm() + " (gateway.quotas.actorsPerRealm); stop some first",
        realm, null, null, null, null, null);
    }
    Replies.then(ctx, beach.deploy(spec), ids -> Replies.json(ctx, 201, new JsonObject()
      .put("ids", new JsonArray(List.copyOf(ids)))));
  }

  private void stopOne(RoutingContext ctx) {
    String realm = Params.realm(ctx);
    String id = Address.validateActorId(ctx.pathParam("id"));
    // The id must belong to the path's realm: a realm token must not reach other realms' actors by id.
    boolean inRealm = beach.directory(realm, null).stream().anyMatch(a -> a.id().equals(id));
    if (!inRealm) {
      throw new BeachException(ErrorCode.NOT_FOUND, "no actor " + id + " in realm '" + realm + "'");
    }
    Replies.then(ctx, beach.stop(id), v -> Replies.noContent(ctx));
  }

  private void stopCategory(RoutingContext ctx) {
    String realm = Params.realm(ctx);
    String category = Params.categoryFilter(ctx);
    if (category == null) {
      throw HttpErrors.bad("name what to stop: DELETE /v1/realms/" + realm + "/actors/{id} for one actor or "
        + "?category=<category> for a category (POST /v1/admin/flush stops everything)");
    }
    Replies.then(ctx, beach.stop(realm, category), n -> Replies.json(ctx, 200, new JsonObject().put("stopped", n)));
  }

  private void restart(RoutingContext ctx) {
    String realm = Params.realm(ctx);
    String category = Params.categoryFilter(ctx);
    Replies.then(ctx, ClusterApi.Realms.requireKnown(beach, realm).compose(v -> beach.restart(realm, category)),
      n -> Replies.json(ctx, 200, new JsonObject().put("restarted", n)));
  }
}
