package dev.beach.gateway.impl;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/** What a realm token's event stream may carry: an allowlist of types, each with its realm. */
class EventFilterTest {

  private static JsonObject event(String type) {
    return new JsonObject().put("type", type).put("time", 1L).put("node", "n1");
  }

  @Test
  void eventsWithoutTheirRealmNeverReachARealmToken() {
    assertNull(EventHub.inRealm(event("job.progress").put("job", "job-1"), "mine"), "job progress without a realm");
    assertNull(EventHub.inRealm(event("job.progress").put("realm", "theirs"), "mine"));
    assertEquals("mine", EventHub.inRealm(event("job.progress").put("realm", "mine"), "mine").getString("realm"));
    assertNull(EventHub.inRealm(event("actor.failed"), "mine"), "a failure without a realm");
    assertNull(EventHub.inRealm(event("actor.failed").put("realm", "theirs"), "mine"));
    assertNull(EventHub.inRealm(event("actor.started"), "mine"), "a batch without actors");
    assertNull(EventHub.inRealm(event("code.pushed").put("realm", "mine"), "mine"), "a type nobody listed");
    assertNull(EventHub.inRealm(event("something.new"), "mine"));
    assertEquals("node.left", EventHub.inRealm(event("node.left").put("actorsLost", 2), "mine").getString("type"));
  }

  @Test
  void aBatchKeepsOnlyTheRealmsOwnActors() {
    JsonObject batch = event("actor.started").put("actors", new JsonArray()
      .add(new JsonObject().put("id", "a").put("realm", "mine"))
      .add(new JsonObject().put("id", "b").put("realm", "theirs")));
    JsonObject mine = EventHub.inRealm(batch, "mine");
    assertEquals(1, mine.getJsonArray("actors").size());
    assertEquals("a", mine.getJsonArray("actors").getJsonObject(0).getString("id"));
    assertNull(EventHub.inRealm(batch, "other"));
  }

  @Test
  void linkDetailsNeverLeaveANode() {
    JsonObject sample = new JsonObject().put("id", "n1").put("host", "10.0.0.1").put("actors", 3).put("seq", 9)
      .put("link", new JsonObject().put("host", "10.0.0.1").put("ports", new JsonArray().add(7001).add(7002)));
    JsonObject shown = EventHub.nodeInfo(sample);
    assertFalse(shown.containsKey("link"), shown.encode());
    assertFalse(shown.containsKey("seq"), shown.encode());
    assertEquals(3, shown.getInteger("actors"));
  }
}
