package dev.beach.gateway;

import dev.beach.Actor;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code GET .../actors/{id}/logs} and {@code .../categories/{category}/logs}: JSON, follow over SSE, errors, auth. */
class LogsApiTest {

  private static final String ADMIN = "logs-admin-token";
  private static final String TEST = "logs-test-token";
  private static LiveNode live;
  private static Http http;
  private static String talker;

  /** Logs the text of a "say" request at its level. */
  public static class Talker extends Actor {
    @Override
    public Future<?> start() {
      on("say", req -> {
        JsonObject b = req.json();
        if ("warn".equals(b.getString("level"))) {
          log().warn("{}", b.getString("text"));
        } else {
          log().info("{}", b.getString("text"));
        }
        req.reply(null);
      });
      return super.start();
    }
  }

  @BeforeAll
  static void start() {
    live = LiveNode.start(new GatewayOptions().setAdminToken(ADMIN).putRealmToken("test", TEST)
      .setSseHeartbeatMs(200));
    http = live.http.withToken(ADMIN);
    talker = live.deploy("test", Talker.class, "talk.a", 1).get(0);
    live.deploy("test", Talker.class, "talk.b", 1);
    live.deploy("other", Talker.class, "talk", 1);
  }

  @AfterAll
  static void stop() {
    live.close();
  }

  private static void say(String category, String level, String text) {
    Http.Response r = http.post("/v1/realms/test/categories/" + category + "/say",
      new JsonObject().put("level", level).put("text", text).encode());
    assertEquals(200, r.status, r.toString());
  }

  private static List<String> messages(JsonArray lines) {
    List<String> out = new ArrayList<>();
    lines.forEach(l -> out.add(((JsonObject) l).getString("message")));
    return out;
  }

  @Test
  void anActorsRecentLinesWithLevelAndLimit() {
    say("talk.a", "info", "hello");
    say("talk.a", "warn", "watch out");
    Http.Response r = http.get("/v1/realms/test/actors/" + talker + "/logs");
    assertEquals(200, r.status, r.toString());
    JsonObject page = r.json();
    assertTrue(messages(page.getJsonArray("lines")).containsAll(List.of("started", "hello", "watch out")), r.body);
    JsonObject line = page.getJsonArray("lines").getJsonObject(1);
    assertEquals(talker, line.getString("actor"));
    assertEquals(live.node.id(), line.getString("node"));
    assertEquals("test", line.getString("realm"));
    assertEquals(0, page.getLong("dropped"));
    assertTrue(page.getJsonObject("cursor").containsKey(live.node.id()));
    List<String> warn = messages(http.get("/v1/realms/test/actors/" + talker + "/logs?level=warn").json().getJsonArray("lines"));
    assertTrue(warn.contains("watch out") && !warn.contains("hello"), warn.toString());
    assertEquals(1, http.get("/v1/realms/test/actors/" + talker + "/logs?limit=1").json().getJsonArray("lines").size());
    assertEquals(0, http.get("/v1/realms/test/actors/" + talker + "/logs?since=" + (System.currentTimeMillis() + 60_000))
      .json().getJsonArray("lines").size());
    assertTrue(http.get("/v1/realms/test/actors/" + talker + "/logs?since=1h").json().getJsonArray("lines").size() >= 3);
  }

  @Test
  void aCategoryMergesItsActorsLines() {
    say("talk.a", "info", "from a");
    say("talk.b", "info", "from b");
    Http.Response r = http.get("/v1/realms/test/categories/talk/logs?level=info");
    assertEquals(200, r.status, r.toString());
    List<String> tagged = new ArrayList<>();
    r.json().getJsonArray("lines").forEach(l -> tagged.add(((JsonObject) l).getString("message")));
    assertTrue(tagged.indexOf("from a") < tagged.indexOf("from b") && tagged.indexOf("from a") >= 0, tagged.toString());
    assertTrue(r.json().getJsonArray("lines").stream().map(l -> ((JsonObject) l).getString("actor")).distinct().count() >= 2);
    assertEquals(0, http.get("/v1/realms/test/categories/nobody.here/logs").json().getJsonArray("lines").size());
  }

  @Test
  void badInputIs400SayingWhatToFixAndUnknownThingsAre404() {
    String base = "/v1/realms/test/actors/" + talker + "/logs";
    Http.Response r = http.get(base + "?level=LOUD");
    assertEquals(400, r.status);
    assertTrue(r.error().getString("message").contains("TRACE, DEBUG, INFO, WARN, ERROR"), r.body);
    r = http.get(base + "?since=-5");
    assertEquals(400, r.status);
    assertTrue(r.error().getString("message").contains("epoch time in milliseconds (≥ 0) or a time ago"), r.body);
    assertEquals(400, http.get(base + "?since=yesterday").status);
    r = http.get(base + "?limit=100000");
    assertEquals(400, r.status);
    assertTrue(r.error().getString("message").contains("between 1 and 10000"), r.body);
    assertEquals(400, http.get(base + "?limit=0").status);
    assertEquals(400, http.get(base + "?follow=maybe").status);
    assertEquals(400, http.get("/v1/realms/test/categories/Bad%20Cat/logs").status);
    r = http.get("/v1/realms/test/actors/nosuchactor/logs");
    assertEquals(404, r.status);
    assertTrue(r.error().getString("message").contains("no actor nosuchactor in realm 'test'"), r.body);
    assertEquals(404, http.get("/v1/realms/nosuchrealm/categories/talk/logs").status);
  }

  @Test
  void aRealmTokenReadsOnlyItsRealm() {
    Http realm = live.http.withToken(TEST);
    assertEquals(200, realm.get("/v1/realms/test/actors/" + talker + "/logs").status);
    assertEquals(200, realm.get("/v1/realms/test/categories/talk/logs").status);
    assertEquals(403, realm.get("/v1/realms/other/categories/talk/logs").status);
    assertEquals(404, http.get("/v1/realms/other/actors/" + talker + "/logs").status, "the actor is not in that realm");
    assertEquals(401, live.http.get("/v1/realms/test/categories/talk/logs").status);
  }

  @Test
  void followSendsTheRecentLinesThenNewOnes() throws Exception {
    say("talk.b", "info", "before follow");
    try (SseClient sse = SseClient.open(live.http.base() + "/v1/realms/test/categories/talk.b/logs?follow=true", ADMIN)) {
      assertEquals(200, sse.status);
      assertNotNull(sse.awaitEvent(e -> "before follow".equals(e.getString("message")), 5000));
      say("talk.b", "warn", "while following");
      JsonObject line = sse.awaitEvent(e -> "while following".equals(e.getString("message")), 5000);
      assertNotNull(line, "a new line arrives on the stream");
      assertEquals("WARN", line.getString("level"));
      assertNotNull(sse.awaitLine(l -> l.equals(": ping"), 3000), "idle streams get heartbeats");
    }
    try (SseClient sse = SseClient.open(live.http.base() + "/v1/realms/test/actors/nosuchactor/logs?follow=true", ADMIN)) {
      assertEquals(404, sse.status, "an unknown actor is 404 before any stream starts");
    }
  }
}
