package dev.beach.gateway;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** A realm token's view of the cluster over HTTP: its own realm's events and jobs, nothing of another realm's. */
class RealmIsolationTest {

  private static final String ADMIN = "admin-iso-0123";
  private static final String MINE = "mine-iso-4567";
  private static LiveNode live;

  @BeforeAll
  static void start() {
    live = LiveNode.start(new GatewayOptions().setAdminToken(ADMIN).putRealmToken("mine", MINE)
      .putRealmToken("theirs", "theirs-iso-89ab"));
    live.deploy("mine", TestActors.Echo.class, "work", 1);
    live.deploy("theirs", TestActors.Echo.class, "work", 1);
  }

  @AfterAll
  static void stop() {
    live.close();
  }

  private static String startJob(String realm) {
    Http.Response r = live.http.withToken(ADMIN).post("/v1/realms/" + realm + "/jobs",
      "{\"category\":\"work\",\"op\":\"echo\",\"inputs\":[1,2,3]}");
    assertEquals(202, r.status, r.toString());
    return r.json().getString("id");
  }

  @Test
  void aRealmTokenSeesItsOwnJobProgressOnlyAndTheEventsSayWhichRealm() throws Exception {
    try (SseClient mine = SseClient.open(live.http.base() + "/v1/events?type=job", MINE);
         SseClient admin = SseClient.open(live.http.base() + "/v1/events?type=job", ADMIN)) {
      assertEquals(200, mine.status);
      String theirs = startJob("theirs");
      String own = startJob("mine");
      JsonObject seen = admin.awaitEvent(e -> theirs.equals(e.getString("job")), 10_000);
      assertNotNull(seen, "the admin sees every job");
      assertEquals("theirs", seen.getString("realm"));
      JsonObject ownEvent = mine.awaitEvent(e -> own.equals(e.getString("job")), 10_000);
      assertNotNull(ownEvent, "no progress of the realm's own job");
      assertEquals("mine", ownEvent.getString("realm"));
      assertNull(mine.awaitEvent(e -> !"mine".equals(e.getString("realm")), 1500), "another realm's event leaked");
    }
  }

  @Test
  void anotherRealmsJobIsNotFound() {
    String theirs = startJob("theirs");
    Http mine = live.http.withToken(MINE);
    for (String path : new String[] {"/v1/jobs/" + theirs, "/v1/jobs/" + theirs + "/results"}) {
      Http.Response r = mine.get(path);
      assertEquals(404, r.status, r.toString());
      assertFalse(r.body.contains("theirs"), "names the realm: " + r);
    }
    assertEquals(404, mine.delete("/v1/jobs/" + theirs).status);
    assertEquals(200, live.http.withToken(ADMIN).get("/v1/jobs/" + theirs).status, "still there for the admin");
  }
}
