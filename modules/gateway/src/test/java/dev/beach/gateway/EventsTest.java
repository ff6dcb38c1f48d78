package dev.beach.gateway;

import dev.beach.testkit.Await;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code GET /v1/events}: cluster events as Server-Sent Events, filtered, kept alive, cleaned up. */
class EventsTest {

  private static LiveNode live;

  @BeforeAll
  static void start() {
    live = LiveNode.start(new GatewayOptions().setSseHeartbeatMs(100));
  }

  @AfterAll
  static void stop() {
    live.close();
  }

  private static boolean startedWith(JsonObject e, String id) {
    if (!"actor.started".equals(e.getString("type"))) {
      return false;
    }
    for (Object a : e.getJsonArray("actors", new JsonArray())) {
      if (id.equals(((JsonObject) a).getString("id"))) {
        return true;
      }
    }
    return false;
  }

  @Test
  void aDeployArrivesAsAnActorStartedEvent() throws Exception {
    try (SseClient sse = SseClient.open(live.http.base() + "/v1/events", null)) {
      assertEquals(200, sse.status);
      assertNotNull(sse.awaitLine(l -> l.startsWith(": beach events"), 5000), "no greeting");
      long before = System.currentTimeMillis();
      String id = live.deploy("sse", TestActors.Echo.class, "watched", 1).get(0);
      JsonObject e = sse.awaitEvent(ev -> startedWith(ev, id), 5000);
      long after = System.currentTimeMillis();
      assertNotNull(e, "no actor.started event for " + id);
      assertEquals(live.node.id(), e.getString("node"));
      long time = e.getLong("time");
      assertTrue(time >= before && time <= after, "event time " + time + " outside the deploy, " + before + ".." + after);
      JsonObject actor = e.getJsonArray("actors").getJsonObject(0);
      assertEquals("sse", actor.getString("realm"));
      assertEquals(List.of("watched"), actor.getJsonArray("categories").getList());
    }
  }

  @Test
  void theRealmFilterKeepsOtherRealmsOut() throws Exception {
    try (SseClient sse = SseClient.open(live.http.base() + "/v1/events?realm=mine", null)) {
      String theirs = live.deploy("theirs", TestActors.Echo.class, "x", 1).get(0);
      String mine = live.deploy("mine", TestActors.Echo.class, "x", 1).get(0);
      JsonObject e = sse.awaitEvent(ev -> "actor.started".equals(ev.getString("type")), 5000);
      assertNotNull(e);
      assertTrue(startedWith(e, mine), e.encode());
      // By id, not by substring: an actor id is a prefix of its node's id plus a counter ("5ea89256-1" is inside
      // the node id "5ea89256-18ff-..."), so a text search could match the node field.
      assertTrue(e.getJsonArray("actors").stream().noneMatch(a -> theirs.equals(((JsonObject) a).getString("id"))),
        e.encode());
      assertTrue(e.getJsonArray("actors").stream().allMatch(a -> "mine".equals(((JsonObject) a).getString("realm"))),
        e.encode());
    }
  }

  @Test
  void theTypeFilterSelectsEventKinds() throws Exception {
    try (SseClient sse = SseClient.open(live.http.base() + "/v1/events?type=actor.stopped", null)) {
      String id = live.deploy("typed", TestActors.Echo.class, "x", 1).get(0);
      assertEquals(204, live.http.delete("/v1/realms/typed/actors/" + id).status);
      JsonObject e = sse.awaitEvent(ev -> true, 5000);
      assertNotNull(e, "no event");
      assertEquals("actor.stopped", e.getString("type"), e.encode());
    }
  }

  @Test
  void nodeStatsComeOnlyWhenAskedFor() throws Exception {
    try (SseClient plain = SseClient.open(live.http.base() + "/v1/events", null);
         SseClient stats = SseClient.open(live.http.base() + "/v1/events?type=node.stats", null)) {
      JsonObject e = stats.awaitEvent(ev -> true, 5000);
      assertNotNull(e, "no node.stats within 5 s");
      assertEquals("node.stats", e.getString("type"));
      assertEquals(live.node.id(), e.getJsonObject("stats").getString("id"));
      assertNull(plain.awaitEvent(ev -> "node.stats".equals(ev.getString("type")), 1500));
    }
  }

  @Test
  void idleStreamsGetHeartbeats() throws Exception {
    try (SseClient sse = SseClient.open(live.http.base() + "/v1/events", null)) {
      assertNotNull(sse.awaitLine(": ping"::equals, 3000), "no heartbeat");
    }
  }

  @Test
  void aClosedStreamIsForgotten() throws Exception {
    double before = openStreams();
    SseClient sse = SseClient.open(live.http.base() + "/v1/events", null);
    assertNotNull(sse.awaitLine(l -> l.startsWith(": beach events"), 5000));
    assertEquals(before + 1, openStreams());
    sse.close();
    Await.until("the closed stream is no longer counted", Duration.ofSeconds(5), () -> openStreams() <= before);
    assertEquals(before, openStreams());
  }

  @Test
  void badFiltersAre400() {
    assertEquals(400, live.http.get("/v1/events?realm=NOPE").status);
    assertEquals(400, live.http.get("/v1/events?type=a,,b").status);
  }

  private static double openStreams() {
    String metrics = live.http.get("/metrics").body;
    Matcher m = Pattern.compile("beach_gateway_event_streams\\{node=\"" + Pattern.quote(live.node.id()) + "\"} ([0-9.]+)")
      .matcher(metrics);
    assertTrue(m.find(), "no stream gauge in /metrics");
    return Double.parseDouble(m.group(1));
  }
}
