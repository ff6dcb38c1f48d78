package dev.beach.gateway;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Desired-state deployments over HTTP on one live node: create, replace, read, restart, remove, realm isolation. */
class DeploymentsApiTest {

  private static final String ADMIN = "admin-dep-0123";
  private static final String MINE = "mine-dep-4567";
  private static LiveNode live;
  private static Http admin;
  private static Http mine;

  @BeforeAll
  static void start() {
    live = LiveNode.start(new GatewayOptions().setQuotas(new QuotaOptions().setInstancesPerRequest(50).setActorsPerRealm(20))
      .setAdminToken(ADMIN).putRealmToken("mine", MINE)
      .putRealmToken("theirs", "theirs-dep-89ab"));
    admin = live.http.withToken(ADMIN);
    mine = live.http.withToken(MINE);
  }

  @AfterAll
  static void stop() {
    live.close();
  }

  private static String body(String realm, int instances) {
    return new JsonObject().put("realm", realm).put("class", TestActors.Echo.class.getName())
      .put("categories", "work").put("instances", instances).encode();
  }

  private static Http.Response put(Http http, String name, String json) {
    return http.send("PUT", "/v1/deployments/" + name, json.getBytes(StandardCharsets.UTF_8), "application/json");
  }

  private static JsonObject awaitActual(String name, int actual) throws InterruptedException {
    long end = System.currentTimeMillis() + 15_000;
    JsonObject last = null;
    while (System.currentTimeMillis() < end) {
      Http.Response r = admin.get("/v1/deployments/" + name);
      assertEquals(200, r.status, r.toString());
      last = r.json();
      if (last.getInteger("actual") == actual && "available".equals(last.getString("state"))) {
        return last;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("never " + actual + " available: " + last);
  }

  /** The ids of a deployment's actors, from the actor listing (each actor names its deployment). */
  private static java.util.Set<String> actorIds(String deployment) {
    java.util.Set<String> ids = new java.util.TreeSet<>();
    for (Object o : admin.get("/v1/realms/mine/actors").array()) {
      JsonObject a = (JsonObject) o;
      if (deployment.equals(a.getString("deployment"))) {
        ids.add(a.getString("id"));
      }
    }
    return ids;
  }

  @Test
  void putCreatesThenReplacesAndGetShowsDesiredAgainstActual() throws Exception {
    Http.Response created = put(admin, "web", body("mine", 2));
    assertEquals(201, created.status, created.toString());
    assertEquals("web", created.json().getString("name"));
    assertEquals(2, created.json().getInteger("desired"));
    JsonObject status = awaitActual("web", 2);
    assertEquals(2, status.getJsonObject("perNode").getInteger(live.node.id()));

    Http.Response replaced = put(admin, "web", new JsonObject(body("mine", 3)).put("name", "web").encode());
    assertEquals(200, replaced.status, replaced.toString());
    awaitActual("web", 3);

    Http.Response scaled = admin.post("/v1/deployments/web/scale", "{\"count\":1}");
    assertEquals(200, scaled.status, scaled.toString());
    awaitActual("web", 1);
    assertEquals(400, admin.post("/v1/deployments/web/scale", "{\"count\":\"x\"}").status);
    assertEquals(400, admin.post("/v1/deployments/web/scale", "{\"count\":51}").status);
    assertEquals(200, admin.post("/v1/deployments/web/scale", "{\"count\":3}").status);
    awaitActual("web", 3);

    JsonArray list = admin.get("/v1/deployments").array();
    assertTrue(list.stream().anyMatch(o -> "web".equals(((JsonObject) o).getString("name"))), list.encode());

    // A second deployment on the same category: the restart of "web" must leave its actor alone.
    assertEquals(201, put(admin, "web-peer", body("mine", 1)).status);
    awaitActual("web-peer", 1);
    java.util.Set<String> webBefore = actorIds("web");
    java.util.Set<String> peerBefore = actorIds("web-peer");
    Http.Response restarted = admin.post("/v1/deployments/web/restart", "{}");
    assertEquals(200, restarted.status, restarted.toString());
    assertEquals(1, restarted.json().getInteger("restartRevision"));
    assertEquals(1, restarted.json().getJsonObject("deployment").getInteger("restartRevision"));
    long end = System.currentTimeMillis() + 15_000;
    while (!(actorIds("web").size() == 3 && java.util.Collections.disjoint(actorIds("web"), webBefore))) {
      assertTrue(System.currentTimeMillis() < end, "web's actors never all replaced: " + actorIds("web") + " were " + webBefore);
      Thread.sleep(50);
    }
    awaitActual("web", 3);
    assertEquals(peerBefore, actorIds("web-peer"), "the deployment sharing category 'work' is untouched");
    assertEquals(2, admin.post("/v1/deployments/web/restart", "{}").json().getInteger("restartRevision"));
    assertEquals(204, admin.delete("/v1/deployments/web-peer").status);

    assertEquals(204, admin.delete("/v1/deployments/web").status);
    assertEquals(404, admin.get("/v1/deployments/web").status);
    assertEquals(404, admin.delete("/v1/deployments/web").status);
    assertEquals(404, admin.post("/v1/deployments/web/restart", "{}").status);
  }

  @Test
  void invalidBodiesAre400WithTheReason() {
    Http.Response mismatch = put(admin, "a", new JsonObject(body("mine", 1)).put("name", "b").encode());
    assertEquals(400, mismatch.status, mismatch.toString());
    assertTrue(mismatch.error().getString("message").contains("path names 'a'"), mismatch.toString());

    Http.Response noClass = put(admin, "a", new JsonObject().put("realm", "mine").put("categories", "w").encode());
    assertEquals(400, noClass.status, noClass.toString());

    Http.Response badCount = put(admin, "a", new JsonObject(body("mine", 1)).put("instances", -1).encode());
    assertEquals(400, badCount.status, badCount.toString());

    Http.Response unknownKey = put(admin, "a", new JsonObject(body("mine", 1)).put("colour", "red").encode());
    assertEquals(400, unknownKey.status, unknownKey.toString());

    assertEquals(400, put(admin, "Bad_Name", body("mine", 1)).status);
    Http.Response tooMany = put(admin, "a", body("mine", 51));
    assertEquals(400, tooMany.status, tooMany.toString());
    assertTrue(tooMany.error().getString("message").contains("instancesPerRequest"), tooMany.toString());
    Http.Response overRealm = put(admin, "a", body("mine", 21));
    assertEquals(409, overRealm.status, overRealm.toString());
    assertTrue(overRealm.error().getString("message").contains("actorsPerRealm"), overRealm.toString());
    assertEquals(400, put(admin, "a", "[1]").status);
    assertEquals(404, admin.get("/v1/deployments/a").status, "nothing was stored");
  }

  @Test
  void aRealmTokenActsOnlyOnItsRealmsDeployments() throws Exception {
    assertEquals(201, put(admin, "theirs-svc", body("theirs", 1)).status);
    Http.Response own = put(mine, "mine-svc", body("mine", 1));
    assertEquals(201, own.status, own.toString());
    try {
      assertEquals(403, put(mine, "other", body("theirs", 1)).status, "may not apply into another realm");
      Http.Response hidden = mine.get("/v1/deployments/theirs-svc");
      assertEquals(404, hidden.status, hidden.toString());
      assertEquals(404, put(mine, "theirs-svc", body("mine", 1)).status, "may not take over another realm's name");
      assertEquals(404, mine.delete("/v1/deployments/theirs-svc").status);
      assertEquals(404, mine.post("/v1/deployments/theirs-svc/restart", "{}").status);
      assertEquals(404, mine.post("/v1/deployments/theirs-svc/scale", "{\"count\":2}").status);
      JsonArray seen = mine.get("/v1/deployments").array();
      assertFalse(seen.encode().contains("theirs"), seen.encode());
      assertTrue(seen.encode().contains("mine-svc"), seen.encode());
      assertEquals(200, mine.get("/v1/deployments/mine-svc").status);
      assertEquals(403, mine.post("/v1/nodes/" + live.node.id() + "/drain", "{}").status, "drain is admin-only");
      assertEquals(200, admin.get("/v1/deployments/theirs-svc").status, "still there for the admin");
      Http.Response noNode = admin.post("/v1/nodes/nosuchnode/drain", "{}");
      assertEquals(404, noNode.status, noNode.toString());
      assertEquals(204, mine.delete("/v1/deployments/mine-svc").status);
    } finally {
      admin.delete("/v1/deployments/theirs-svc");
      admin.delete("/v1/deployments/mine-svc");
    }
  }
}
