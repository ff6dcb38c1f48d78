package dev.beach.behaviour;

import dev.beach.BeachException;
import dev.beach.ErrorCode;
import dev.beach.testkit.ActorTestKit;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One actor, no cluster: the way an actor's author tests it. */
class ActorTestKitTest {

  @Test
  void runsOneActorAndReadsRepliesFailuresAndStats() {
    try (ActorTestKit kit = ActorTestKit.start(TestActors.Counter.class)) {
      assertEquals(2L, kit.<JsonObject>request("add", new JsonObject().put("n", 2)).getLong("count"));
      assertEquals(5L, kit.<JsonObject>request("add", new JsonObject().put("n", 3)).getLong("count"));
      BeachException e = kit.failure("nope", null);
      assertEquals(ErrorCode.NOT_FOUND, e.code());
      assertEquals(3, kit.stats().processed());
      assertEquals(1, kit.stats().errors());
    }
  }

  @Test
  void readsStreamedRepliesAndParams() {
    try (ActorTestKit kit = ActorTestKit.start(TestActors.Streamer.class)) {
      // Around the credit window (64): credit must never race the producer's drain handler.
      for (int n : new int[]{1, 63, 64, 65, 129, 1000}) {
        List<JsonObject> items = kit.stream("count", new JsonObject().put("n", n));
        assertEquals(n, items.size());
        assertEquals(n - 1, items.get(n - 1).getInteger("i"));
      }
      List<JsonObject> single = kit.stream("plain", null);
      assertEquals(List.of(new JsonObject().put("single", true)), single);
    }
    try (ActorTestKit kit = ActorTestKit.start(TestActors.Echo.class, new JsonObject().put("who", "me"))) {
      assertEquals("me", kit.<JsonObject>request("whoami", null).getJsonObject("params").getString("who"));
    }
  }

  @Test
  void anActorThatCannotStartFailsTheKitClearly() {
    BeachException e = assertThrows(BeachException.class, () -> ActorTestKit.start(TestActors.Broken.class));
    assertTrue(e.getMessage().contains("cannot start"), e.getMessage());
  }

  @Test
  void aRequestBodyThatIsNotJsonIsRefusedBeforeSending() {
    try (ActorTestKit kit = ActorTestKit.start(TestActors.Echo.class)) {
      BeachException e = assertThrows(BeachException.class, () -> kit.request("echo", new Object()));
      assertEquals(ErrorCode.BAD_REQUEST, e.code());
      BeachException wrongShape = kit.failure("echo", "a string");
      assertEquals(ErrorCode.BAD_REQUEST, wrongShape.code());
    }
  }
}
