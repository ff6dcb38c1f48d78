package dev.beach;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A deployment round-trips JSON, hides private parameters when asked, and refuses what cannot work, saying why. */
class DeploymentJsonTest {

  @Test
  void roundTripsEveryField() {
    Deployment d = Deployment.of("web", "r1", "com.x.Echo", "a.b", "c").setInstances(6).setPlacement(Placement.spread())
      .setParams(new JsonObject().put("k", 1).put("_secret", "s")).setConcurrency(3).setMailboxSize(9)
      .setRestart(Deployment.Restart.ON_FAILURE).setBackoffInitialMs(50).setBackoffMaxMs(800).setMaxRestarts(7)
      .setWindowMs(30_000);
    Deployment back = new Deployment(d.toJson()).validate();
    assertEquals(d.toJson(), back.toJson());
    assertEquals(d, back);
    assertEquals(6, back.getInstances());
    assertEquals(Deployment.Restart.ON_FAILURE, back.getRestart());
    Deployment perNode = new Deployment(Deployment.of("agent", "r1", "A", "x").setPerNode(2)
      .setPlacement(Placement.tag("gpu")).toJson()).validate();
    assertTrue(perNode.isPerNode());
    assertEquals(2, perNode.getPerNode());
    assertNull(perNode.getInstances());
    assertEquals(Placement.tag("gpu"), perNode.getPlacement());
  }

  @Test
  void readsTheHttpShapeWithDefaults() {
    Deployment d = new Deployment(new JsonObject().put("name", "w").put("class", "E").put("categories", "x")
      .put("strategy", "node").put("hint", "tag:gpu").put("mailbox", 5).put("restart", "on_failure")
      .put("backoff", new JsonObject().put("initialMs", 10))).validate();
    assertEquals(List.of("x"), d.getCategories());
    assertEquals(Address.DEFAULT_REALM, d.getRealm());
    assertEquals(1, d.instances());
    assertEquals(5, d.getMailboxSize());
    assertEquals(Deployment.Restart.ON_FAILURE, d.getRestart());
    assertEquals(10, d.getBackoffInitialMs());
    assertEquals(Deployment.DEFAULT_BACKOFF_MAX_MS, d.getBackoffMaxMs());
    assertEquals(Deployment.DEFAULT_MAX_RESTARTS, d.getMaxRestarts());
  }

  @Test
  void privateParametersStayOutOfThePublicForm() {
    Deployment d = Deployment.of("web", "r", "E", "x").setParams(new JsonObject().put("k", 1).put("_token", "t"));
    assertEquals(new JsonObject().put("k", 1), d.toJson(false).getJsonObject("params"));
    assertFalse(d.toString().contains("_token"));
    assertEquals("t", d.toJson().getJsonObject("params").getString("_token"));
    assertEquals("t", d.toActorSpec().getParams().getString("_token"));
  }

  @Test
  void refusesWhatCannotWorkWithAMessageSayingWhatToFix() {
    Map<JsonObject, String> bad = Map.of(
      new JsonObject().put("name", "Web").put("class", "E").put("categories", "x"), "invalid deployment name 'Web'",
      new JsonObject().put("name", "w").put("class", "E").put("categories", "x").put("instances", 2).put("perNode", 1),
      "set one",
      new JsonObject().put("name", "w").put("class", "E").put("categories", "x").put("instance", 2), "unknown key 'instance'",
      new JsonObject().put("name", "w").put("class", "E").put("categories", "x").put("restart", "sometimes"),
      "always | on-failure | never",
      new JsonObject().put("name", "w").put("class", "E").put("categories", "x").put("strategy", "local"), "node(id:",
      new JsonObject().put("name", "w").put("class", "E").put("categories", "x").put("perNode", 1)
        .put("strategy", "least-loaded"), "only strategy is node(",
      new JsonObject().put("name", "w").put("class", "E").put("categories", "x")
        .put("backoff", new JsonObject().put("initialMs", 500).put("maxMs", 100)), "initialMs ≤ maxMs",
      new JsonObject().put("name", "w").put("class", "E").put("categories", "x").put("instances", -1), "'instances'",
      new JsonObject().put("name", "w").put("class", "E"), "at least one category",
      new JsonObject().put("name", "w").put("class", "E").put("categories", "x").put("maxRestarts", "5"),
      "'maxRestarts' must be an integer");
    bad.forEach((json, expected) -> {
      BeachException e = assertThrows(BeachException.class, () -> new Deployment(json).validate(), json.encode());
      assertEquals(ErrorCode.BAD_REQUEST, e.code());
      assertTrue(e.getMessage().contains(expected), json.encode() + " → " + e.getMessage());
    });
  }

  @Test
  void statusRoundTrips() {
    DeploymentStatus s = new DeploymentStatus("web", Deployment.of("web", "r", "E", "x").toJson(false), 3, 2,
      Map.of("n1", 2), DeploymentStatus.State.DEGRADED, 4, new JsonObject().put("code", 500).put("message", "boom"),
      "1 instance(s) not running", 42);
    DeploymentStatus back = DeploymentStatus.fromJson(s.toJson());
    assertEquals(s.toJson(), back.toJson());
    assertEquals(DeploymentStatus.State.DEGRADED, back.state());
    assertEquals("degraded", s.toJson().getString("state"));
  }

  @Test
  void spreadWithoutACountIsOnePerNodeAndWithOneIsThatMany() {
    ActorSpec without = new ActorSpec(new JsonObject().put("class", "E").put("categories", "x").put("strategy", "spread"));
    assertFalse(without.isInstancesSet());
    assertFalse(without.toJson().containsKey("instances"));
    ActorSpec with = new ActorSpec(without.toJson().put("instances", 6));
    assertTrue(with.isInstancesSet());
    assertTrue(new ActorSpec(with).isInstancesSet());
    assertEquals(6, new ActorSpec(with.toJson()).getInstances());
  }

  @Test
  void startUpDeploymentsAreNamedStablyAndTravelInNodeOptionsWithTheirSecretsHiddenFromLogs() {
    assertEquals("global-echo-loud", Deployment.derivedName("global", List.of("echo.loud", "other")));
    String longName = Deployment.derivedName("r", List.of("a".repeat(200)));
    assertEquals(63, longName.length());
    assertTrue(longName.matches(Deployment.NAME_RULE), longName);

    NodeOptions o = new NodeOptions(new JsonObject().put("deploy", new io.vertx.core.json.JsonArray()
      .add(new JsonObject().put("realm", "global").put("class", "Echo").put("categories", "echo").put("instances", 2)
        .put("params", new JsonObject().put("_token", "s3cret").put("shown", 1)))));
    o.validate();
    Deployment d = o.getDeployments().get(0);
    assertEquals("global-echo", d.getName());
    assertEquals(o.getDeployments(), new NodeOptions(o).getDeployments(), "a copy keeps them, private params included");
    assertEquals("s3cret", new NodeOptions(o).getDeployments().get(0).getParams().getString("_token"));
    assertFalse(o.toString().contains("s3cret"), o.toString());
    assertTrue(o.toString().contains("global-echo"), o.toString());

    BeachException notAList = assertThrows(BeachException.class, () -> new NodeOptions(new JsonObject().put("deploy", "x")));
    assertTrue(notAList.getMessage().startsWith("deploy must be a list"), notAList.getMessage());
    BeachException unknown = assertThrows(BeachException.class, () -> new NodeOptions(new JsonObject().put("deploy",
      new io.vertx.core.json.JsonArray().add(new JsonObject().put("colour", "red")))));
    assertTrue(unknown.getMessage().startsWith("deploy[0] "), unknown.getMessage());
    assertThrows(BeachException.class, () -> new NodeOptions().setReadyTimeoutMs(-1).validate());
  }

  @Test
  void theRestartRevisionIsPartOfTheRecordAndChecked() {
    Deployment d = Deployment.of("a", "global", "Echo", "echo").setRestartRevision(3);
    assertEquals(3L, new Deployment(d.toJson()).getRestartRevision());
    assertEquals(0L, new Deployment(new JsonObject().put("name", "b").put("class", "Echo").put("categories", "e"))
      .getRestartRevision(), "absent: 0");
    assertThrows(BeachException.class, () -> Deployment.of("a", "global", "Echo", "echo").setRestartRevision(-1).validate());
  }
}
