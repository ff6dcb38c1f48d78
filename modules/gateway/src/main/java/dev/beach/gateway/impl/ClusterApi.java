package dev.beach.gateway.impl;

import dev.beach.ActorInfo;
import dev.beach.Address;
import dev.beach.Beach;
import dev.beach.BeachException;
import dev.beach.BeachNode;
import dev.beach.ErrorCode;
import dev.beach.NodeInfo;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Read-only views of the cluster: health, nodes, realms, categories. */
final class ClusterApi {

  private final BeachNode node;
  private final Beach beach;

  ClusterApi(BeachNode node) {
    this.node = node;
    this.beach = node.beach();
  }

  void register(ApiRouter api) {
    api.get("/v1/health", Access.PUBLIC, this::health);
    api.get("/v1/nodes", Access.ANY, this::nodes);
    api.get("/v1/nodes/:id", Access.ANY, this::node);
    api.get("/v1/realms", Access.ANY, this::realms);
    api.get("/v1/realms/:realm/categories", Access.REALM, this::categories);
  }

  private void health(RoutingContext ctx) {
    Replies.then(ctx, beach.nodes(), nodes -> Replies.json(ctx, 200, new JsonObject()
      .put("status", node.info().ready() ? "UP" : "DRAINING")
      .put("node", node.id())
      .put("nodes", nodes.size())));
  }

  private void nodes(RoutingContext ctx) {
    Replies.then(ctx, beach.nodes(), nodes -> {
      JsonArray out = new JsonArray();
      nodes.stream().sorted((a, b) -> a.id().compareTo(b.id())).forEach(n -> out.add(n.toJson()));
      Replies.json(ctx, 200, out);
    });
  }

  private void node(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    Address.node(id); // validates the id with the rule in the message
    Replies.then(ctx, beach.nodes(), nodes -> {
      for (NodeInfo n : nodes) {
        if (n.id().equals(id)) {
          Replies.json(ctx, 200, n.toJson());
          return;
        }
      }
      throw new BeachException(ErrorCode.NOT_FOUND, "no node " + id + " in the cluster");
    });
  }

  private void realms(RoutingContext ctx) {
    Principal p = Auth.principal(ctx);
    Map<String, int[]> actors = new TreeMap<>();
    Map<String, Set<String>> categories = new TreeMap<>();
    if (!p.admin()) {
      // A realm token always sees its own realm, even before anything runs in it.
      actors.put(p.realm(), new int[1]);
      categories.put(p.realm(), new HashSet<>());
    }
    for (ActorInfo a : beach.directory(p.admin() ? null : p.realm(), null)) {
      actors.computeIfAbsent(a.realm(), r -> new int[1])[0]++;
      categories.computeIfAbsent(a.realm(), r -> new HashSet<>()).addAll(a.categories());
    }
    JsonArray out = new JsonArray();
    actors.forEach((realm, count) -> out.add(new JsonObject().put("name", realm).put("actors", count[0])
      .put("categories", categories.get(realm).size())));
    Replies.json(ctx, 200, out);
  }

  private void categories(RoutingContext ctx) {
    String realm = Params.realm(ctx);
    Replies.then(ctx, Realms.requireKnown(beach, realm), v -> {
      Map<String, JsonObject> byName = new TreeMap<>();
      for (ActorInfo a : beach.directory(realm, null)) {
        for (String c : a.categories()) {
          JsonObject entry = byName.computeIfAbsent(c, name -> new JsonObject().put("name", name).put("actors", 0)
            .put("nodes", new JsonObject()));
          entry.put("actors", entry.getInteger("actors") + 1);
          JsonObject perNode = entry.getJsonObject("nodes");
          perNode.put(a.node(), perNode.getInteger(a.node(), 0) + 1);
        }
      }
      Replies.json(ctx, 200, new JsonArray(List.copyOf(byName.values())));
    });
  }

  /** Realm existence: a realm is known while it has actors or code, and the default realm always is. */
  static final class Realms {
    private Realms() {
    }

    static Future<Void> requireKnown(Beach beach, String realm) {
      if (Address.DEFAULT_REALM.equals(realm) || !beach.directory(realm, null).isEmpty()) {
        return Future.succeededFuture();
      }
      return beach.codeFiles(realm).transform(ar -> ar.succeeded() && !ar.result().isEmpty()
        ? Future.<Void>succeededFuture()
        : BeachException.fail(ErrorCode.NOT_FOUND, "no realm '" + realm + "': it has no actors and no code"
          + " (GET /v1/realms lists the realms)"));
    }
  }
}
