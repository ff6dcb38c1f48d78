package dev.beach.gateway.impl;

import dev.beach.Beach;
import dev.beach.BeachException;
import dev.beach.BeachNode;
import dev.beach.ErrorCode;
import dev.beach.NodeInfo;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/** Destructive cluster-wide commands: admin token and an explicit {@code confirm=true}. */
final class AdminApi {

  private static final Logger LOG = LoggerFactory.getLogger(AdminApi.class);

  private final BeachNode node;
  private final Beach beach;

  AdminApi(BeachNode node) {
    this.node = node;
    this.beach = node.beach();
  }

  void register(ApiRouter api) {
    api.post("/v1/admin/flush", Access.ADMIN, this::flush);
    api.post("/v1/admin/shutdown", Access.ADMIN, this::shutdown);
  }

  private static void requireConfirm(RoutingContext ctx, String what) {
    if (!Params.bool(ctx, "confirm", false)) {
      throw HttpErrors.bad("refusing to " + what + " without confirm=true");
    }
  }

  private void flush(RoutingContext ctx) {
    requireConfirm(ctx, "stop every actor of the cluster");
    LOG.info("flush requested through the gateway: stopping every actor");
    Replies.then(ctx, beach.flush(), n -> Replies.json(ctx, 200, new JsonObject().put("stopped", n)));
  }

  /**
   * Answers 202 first, then shuts the nodes down, this one last: the caller gets its answer even when the
   * node serving it is among those going away.
   */
  private void shutdown(RoutingContext ctx) {
    String target = Params.query(ctx, "node");
    if (target == null || target.isEmpty()) {
      throw HttpErrors.bad("name the node to shut down: ?node=<id> or ?node=all");
    }
    requireConfirm(ctx, "shut down " + ("all".equals(target) ? "every node" : "node " + target));
    Replies.then(ctx, beach.nodes(), nodes -> {
      List<String> ids = new ArrayList<>();
      for (NodeInfo n : nodes) {
        if ("all".equals(target) || n.id().equals(target)) {
          ids.add(n.id());
        }
      }
      if (ids.isEmpty()) {
        throw new BeachException(ErrorCode.NOT_FOUND, "no node " + target + " in the cluster (GET /v1/nodes lists them)");
      }
      ids.sort((a, b) -> a.equals(node.id()) ? 1 : b.equals(node.id()) ? -1 : a.compareTo(b));
      ctx.response().endHandler(v -> shutDown(ids));
      Replies.json(ctx, 202, new JsonObject().put("nodes", new JsonArray(new ArrayList<>(ids))));
    });
  }

  private void shutDown(List<String> ids) {
    LOG.info("shutdown of {} requested through the gateway", ids);
    List<Future<Void>> others = new ArrayList<>();
    for (String id : ids) {
      if (!id.equals(node.id())) {
        others.add(beach.shutdown(id).onFailure(t -> LOG.warn("shutdown of node {} failed: {}", id, t.getMessage())));
      }
    }
    Future.join(others).onComplete(ar -> {
      if (ids.contains(node.id())) {
        beach.shutdown(node.id()).onFailure(t -> LOG.warn("shutdown of this node failed: {}", t.getMessage()));
      }
    });
  }
}
