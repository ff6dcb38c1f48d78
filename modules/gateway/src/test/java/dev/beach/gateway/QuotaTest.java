package dev.beach.gateway;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every quota of gateway.quotas, reached: a 4xx that names the key to raise, and room again once freed. */
class QuotaTest {

  private static final String ADMIN = "admin-quota-0123";
  private static final String SMALL = "small-quota-4567";
  private static final String ECHO = TestActors.Echo.class.getName();
  private static LiveNode live;
  private static Http admin;
  private static Http small;

  @BeforeAll
  static void start() {
    live = LiveNode.start(new GatewayOptions().setAdminToken(ADMIN).putRealmToken("small", SMALL)
      .setQuotas(new QuotaOptions().setInstancesPerRequest(5).setActorsPerRealm(8).setJobsPerRealm(2)
        .setSpoolBytesPerRealm(2000).setStreamsPerToken(2)));
    admin = live.http.withToken(ADMIN);
    small = live.http.withToken(SMALL);
  }

  @AfterAll
  static void stop() {
    live.close();
  }

  private static void assertRefused(Http.Response r, int status, String key) {
    assertEquals(status, r.status, r.toString());
    assertTrue(r.error().getString("message").contains("gateway.quotas." + key), r.toString());
  }

  private static Http.Response deploy(Http http, String realm, String category, int instances) {
    return http.post("/v1/realms/" + realm + "/actors", "{\"class\":\"" + ECHO + "\",\"categories\":[\"" + category
      + "\"],\"instances\":" + instances + "}");
  }

  @Test
  void actorsPerRequestAndPerRealm() {
    assertRefused(deploy(small, "small", "many", 6), 400, "instancesPerRequest");
    assertEquals(201, deploy(small, "small", "many", 5).status);
    assertRefused(deploy(small, "small", "more", 4), 409, "actorsPerRealm");
    assertEquals(201, deploy(admin, "roomy", "many", 5).status, "another realm has its own count");
    assertEquals(200, small.delete("/v1/realms/small/actors?category=many").status);
    assertEquals(201, deploy(small, "small", "more", 4).status, "room again once actors stopped");
    assertEquals(200, small.delete("/v1/realms/small/actors?category=more").status);
  }

  private static Http.Response job(String realm, String op, String input, int n) {
    StringBuilder inputs = new StringBuilder("[");
    for (int i = 0; i < n; i++) {
      inputs.append(i == 0 ? "" : ",").append(input);
    }
    return admin.post("/v1/realms/" + realm + "/jobs", "{\"category\":\"work\",\"op\":\"" + op + "\",\"inputs\":"
      + inputs + "],\"chunkSize\":1}");
  }

  private static JsonObject awaitEnd(String id) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 20_000;
    while (true) {
      JsonObject status = admin.get("/v1/jobs/" + id).json();
      if (!"running".equals(status.getString("state"))) {
        return status;
      }
      assertTrue(System.currentTimeMillis() < deadline, "still running: " + status);
      Thread.sleep(50);
    }
  }

  @Test
  void jobsPerRealmAndTheirKeptResults() throws Exception {
    live.deploy("jobs", TestActors.Echo.class, "work", 2);
    List<String> slow = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Http.Response r = job("jobs", "slow", "{\"ms\":1500}", 2);
      assertEquals(202, r.status, r.toString());
      slow.add(r.json().getString("id"));
    }
    assertRefused(job("jobs", "echo", "1", 1), 429, "jobsPerRealm");
    for (String id : slow) {
      awaitEnd(id);
      assertEquals(200, admin.delete("/v1/jobs/" + id).status);
    }
    // Results bigger than what the realm may keep: the job fails with 413 once it passes the bound.
    Http.Response big = job("jobs", "echo", "{\"pad\":\"" + "p".repeat(200) + "\"}", 40);
    assertEquals(202, big.status, big.toString());
    JsonObject ended = awaitEnd(big.json().getString("id"));
    assertEquals("failed", ended.getString("state"), ended.encode());
    assertEquals(413, ended.getJsonObject("error").getInteger("code"), ended.encode());
    assertTrue(ended.getLong("resultBytes") >= 2000, ended.encode());
    assertRefused(job("jobs", "echo", "1", 1), 429, "spoolBytesPerRealm");
    assertEquals(200, admin.delete("/v1/jobs/" + big.json().getString("id")).status);
    assertEquals(202, job("jobs", "echo", "1", 1).status, "room again once the results are removed");
  }

  @Test
  void eventStreamsPerToken() throws Exception {
    try (SseClient a = SseClient.open(live.http.base() + "/v1/events", SMALL);
         SseClient b = SseClient.open(live.http.base() + "/v1/events", SMALL)) {
      assertEquals(200, a.status);
      assertEquals(200, b.status);
      try (SseClient third = SseClient.open(live.http.base() + "/v1/events", SMALL)) {
        assertEquals(429, third.status, "a third stream of the same token");
      }
      // The refusal names the quota (read as a plain answer: the stream above would never end if it were open).
      assertRefused(small.get("/v1/events?type=x"), 429, "streamsPerToken");
      try (SseClient other = SseClient.open(live.http.base() + "/v1/events", ADMIN)) {
        assertEquals(200, other.status, "another token has its own streams");
      }
    }
    long deadline = System.currentTimeMillis() + 5000;
    int status;
    do {
      try (SseClient again = SseClient.open(live.http.base() + "/v1/events", SMALL)) {
        status = again.status;
      }
    } while (status != 200 && System.currentTimeMillis() < deadline);
    assertEquals(200, status, "closed streams give their room back");
  }
}
