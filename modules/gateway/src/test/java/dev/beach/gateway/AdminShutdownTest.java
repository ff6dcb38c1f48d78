package dev.beach.gateway;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Shutdown through the gateway answers first, then the node drains: readiness goes down. */
class AdminShutdownTest {

  @Test
  void shuttingDownThisNodeAnswers202ThenTheNodeIsNoLongerReady() throws Exception {
    try (LiveNode live = LiveNode.start()) {
      live.deploy("test", TestActors.Echo.class, "echo", 1);
      Http.Response r = live.http.send("POST", "/v1/admin/shutdown?node=all&confirm=true", null, null);
      assertEquals(202, r.status, r.toString());
      assertEquals(live.node.id(), r.json().getJsonArray("nodes").getString(0));
      long deadline = System.currentTimeMillis() + 10_000;
      int ready = 200;
      while (ready == 200 && System.currentTimeMillis() < deadline) {
        Thread.sleep(50);
        ready = live.http.get("/health/ready").status;
      }
      assertEquals(503, ready, "the node still reports ready after its shutdown");
      assertTrue(live.http.get("/health/live").status == 200, "the gateway process itself is still alive");
    }
  }
}
