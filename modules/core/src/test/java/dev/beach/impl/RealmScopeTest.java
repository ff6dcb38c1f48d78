package dev.beach.impl;

import dev.beach.Actor;
import dev.beach.ActorListing;
import dev.beach.ActorSpec;
import dev.beach.Deployment;
import dev.beach.DeploymentStatus;
import dev.beach.BeachException;
import dev.beach.BeachNode;
import dev.beach.ErrorCode;
import dev.beach.NodeOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An actor's client acts in the actor's own realm: another realm, a flush or a shutdown is 403 naming the setting
 * that allows it, {@code node.trustedRealms}, whose realms act everywhere.
 */
@ExtendWith(VertxExtension.class)
class RealmScopeTest {

  public static class Echo extends Actor {
    @Override
    public Future<?> start() {
      on("echo", req -> req.reply(new JsonObject().put("realm", realm())));
      return super.start();
    }
  }

  /** Does to the realm named in the request what it is asked to, with its own {@code beach()}. */
  public static class Prober extends Actor {
    @Override
    public Future<?> start() {
      onFuture("reach", req -> handle(realmOf(req.json()), "echo").request("echo", new JsonObject()));
      onFuture("deploy", req -> beach().deploy(ActorSpec.of(realmOf(req.json()), Echo.class, "spawned"))
        .map(ids -> new JsonObject().put("ids", new JsonArray(ids))));
      onFuture("stop", req -> beach().stop(realmOf(req.json()), "spawned").map(n -> new JsonObject().put("stopped", n)));
      onFuture("stopId", req -> beach().stop(req.json().getString("id")));
      onFuture("list", req -> beach().actors(req.json().getString("realm"), null)
        .map(list -> new JsonObject().put("realms", new JsonArray(list.stream().map(a -> a.realm()).distinct().toList()))));
      onFuture("flush", req -> beach().flush().map(n -> new JsonObject().put("stopped", n)));
      onFuture("shutdown", req -> beach().shutdown(beach().nodeId()));
      onFuture("dapply", req -> beach().apply(Deployment.of(req.json().getString("name"), realmOf(req.json()),
          Echo.class, "deployed")).map(DeploymentStatus::toJson));
      onFuture("dlist", req -> beach().deployments().map(list -> new JsonObject().put("names",
        new JsonArray(list.stream().map(DeploymentStatus::name).toList()))));
      onFuture("dget", req -> beach().deployment(req.json().getString("name")).map(DeploymentStatus::toJson));
      onFuture("dscale", req -> beach().scale(req.json().getString("name"), 2).map(DeploymentStatus::toJson));
      onFuture("drestart", req -> beach().restartDeployment(req.json().getString("name")).map(DeploymentStatus::toJson));
      onFuture("dremove", req -> beach().remove(req.json().getString("name")).map(v -> new JsonObject()));
      onFuture("ddrain", req -> beach().drain(beach().nodeId()).map(v -> new JsonObject()));
      onFuture("listing", req -> beach().listActors(realmOf(req.json()), null).map(ActorListing::toJson));
      onFuture("logs", req -> beach().logs(realmOf(req.json()), new dev.beach.LogQuery().setCategory("echo"))
        .map(page -> new JsonObject().put("lines", page.lines().size())));
      return super.start();
    }

    private static String realmOf(JsonObject body) {
      return body.getString("realm");
    }
  }

  @Test
  void anActorReachesDeploysStopsAndListsInItsOwnRealm(Vertx vertx) throws Exception {
    BeachNode node = start(vertx, new NodeOptions());
    try {
      deploy(node, "a", Echo.class, "echo");
      deploy(node, "b", Echo.class, "echo");
      deploy(node, "a", Prober.class, "prober");
      assertEquals("a", ask(node, "a", "reach", "a").getString("realm"));
      JsonObject spawned = ask(node, "a", "deploy", "a");
      assertEquals(1, spawned.getJsonArray("ids").size());
      assertEquals(1, ask(node, "a", "stop", "a").getInteger("stopped"));
      String echo = node.beach().directory("a", "echo").get(0).id();
      await(node.beach().handle("a", "prober").request("stopId", new JsonObject().put("id", echo)));
      assertTrue(ask(node, "a", "logs", "a").getInteger("lines") >= 1, "its own realm's logs (the echo's start line)");
      assertEquals(new JsonArray().add("a"), ask(node, "a", "list", null).getJsonArray("realms"),
        "a listing of every realm shows the own realm only");
    } finally {
      await(node.close());
    }
  }

  @Test
  void anActorCannotActInAnotherRealmNorOnTheWholeCluster(Vertx vertx) throws Exception {
    BeachNode node = start(vertx, new NodeOptions());
    try {
      deploy(node, "b", Echo.class, "echo");
      deploy(node, "b", Echo.class, "spawned");
      deploy(node, "a", Prober.class, "prober");
      String other = node.beach().directory("b", "echo").get(0).id();
      for (String op : List.of("reach", "deploy", "stop", "list", "flush", "shutdown", "logs")) {
        forbidden(node, op, new JsonObject().put("realm", "b"));
      }
      forbidden(node, "stopId", new JsonObject().put("id", other));
      assertEquals(3, node.beach().directory(null, null).size(), "nothing was deployed or stopped");
      assertEquals("b", RealmScopeTest.<JsonObject>await(node.beach().handle("b", "echo").request("echo", new JsonObject()))
        .getString("realm"), "the node still runs");
    } finally {
      await(node.close());
    }
  }

  @Test
  void anActorManagesTheDeploymentsOfItsOwnRealmOnly(Vertx vertx) throws Exception {
    BeachNode node = start(vertx, new NodeOptions());
    try {
      await(node.beach().apply(Deployment.of("theirs", "b", Echo.class, "theirs")));
      deploy(node, "a", Prober.class, "prober");
      JsonObject mine = askD(node, "dapply", new JsonObject().put("name", "mine").put("realm", "a"));
      assertEquals("a", mine.getJsonObject("deployment").getString("realm"));
      assertEquals(new JsonArray().add("mine"), askD(node, "dlist", new JsonObject()).getJsonArray("names"),
        "another realm's deployment is not listed");
      assertEquals(2, askD(node, "dscale", new JsonObject().put("name", "mine")).getInteger("desired"));
      assertEquals(1L, askD(node, "drestart", new JsonObject().put("name", "mine")).getJsonObject("deployment")
        .getLong("restartRevision"));
      assertEquals(0, askD(node, "listing", new JsonObject().put("realm", "a")).getJsonArray("missing").size(),
        "its own realm's listing, with the nodes that did not answer (none)");
      askD(node, "dremove", new JsonObject().put("name", "mine"));

      assertEquals(ErrorCode.FORBIDDEN, failD(node, "dapply", new JsonObject().put("name", "x").put("realm", "b")));
      assertEquals(ErrorCode.CONFLICT, failD(node, "dapply", new JsonObject().put("name", "theirs").put("realm", "a")),
        "another realm's name is not taken over");
      for (String op : List.of("dget", "dscale", "drestart", "dremove")) {
        assertEquals(ErrorCode.NOT_FOUND, failD(node, op, new JsonObject().put("name", "theirs")), op);
      }
      assertEquals(ErrorCode.FORBIDDEN, failD(node, "ddrain", new JsonObject()));
      assertEquals(ErrorCode.FORBIDDEN, failD(node, "listing", new JsonObject().put("realm", "b")));
      DeploymentStatus theirs = await(node.beach().deployment("theirs"));
      assertEquals("b", theirs.deployment().getString("realm"));
      assertEquals(1, theirs.deployment().getInteger("instances"), "untouched");
      assertEquals(0L, theirs.deployment().getLong("restartRevision"), "untouched");
      assertTrue(node.info().ready(), "not drained");
    } finally {
      await(node.close());
    }
  }

  private static JsonObject askD(BeachNode node, String op, JsonObject body) throws TimeoutException {
    return await(node.beach().handle("a", "prober").withRetries(0).request(op, body));
  }

  private static ErrorCode failD(BeachNode node, String op, JsonObject body) {
    RuntimeException e = assertThrows(RuntimeException.class, () -> askD(node, op, body), op);
    return assertInstanceOf(BeachException.class, e, op).code();
  }

  @Test
  void aRealmListedInTrustedRealmsActsInEveryRealm(Vertx vertx) throws Exception {
    BeachNode node = start(vertx, new NodeOptions().setTrustedRealms(List.of("ops")));
    try {
      deploy(node, "b", Echo.class, "echo");
      deploy(node, "ops", Prober.class, "prober");
      deploy(node, "a", Prober.class, "prober");
      assertEquals("b", ask(node, "ops", "reach", "b").getString("realm"));
      assertEquals(1, ask(node, "ops", "deploy", "b").getJsonArray("ids").size());
      assertEquals(1, ask(node, "ops", "stop", "b").getInteger("stopped"));
      forbidden(node, "reach", new JsonObject().put("realm", "b")); // realm a is still not trusted
    } finally {
      await(node.close());
    }
  }

  private static BeachNode start(Vertx vertx, NodeOptions options) throws TimeoutException {
    return await(BeachNode.start(vertx, options.setStatsIntervalMs(200).setDirectorySyncMs(1000)));
  }

  private static void deploy(BeachNode node, String realm, Class<? extends Actor> type, String category) throws TimeoutException {
    await(node.beach().deploy(ActorSpec.of(realm, type, category)));
  }

  /** Asks the prober of {@code proberRealm} to do {@code op} in {@code target}. */
  private static JsonObject ask(BeachNode node, String proberRealm, String op, String target) throws TimeoutException {
    return await(node.beach().handle(proberRealm, "prober").withRetries(0).request(op, new JsonObject().put("realm", target)));
  }

  private static void forbidden(BeachNode node, String op, JsonObject body) {
    RuntimeException e = assertThrows(RuntimeException.class,
      () -> await(node.beach().handle("a", "prober").withRetries(0).request(op, body)), op);
    BeachException b = assertInstanceOf(BeachException.class, e, op);
    assertEquals(ErrorCode.FORBIDDEN, b.code(), () -> op + ": " + b);
    assertTrue(b.getMessage().contains("node.trustedRealms"), () -> op + ": " + b.getMessage());
  }

  private static <T> T await(Future<T> future) throws TimeoutException {
    return future.await(20, TimeUnit.SECONDS);
  }
}
