package dev.beach;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BeachExceptionTest {

  @Test
  void theJsonFormRoundTrips() {
    BeachException e = new BeachException(ErrorCode.CONFLICT, "taken", "r", "c", "a", "n", "op",
      new JsonObject().put("why", 1));
    BeachException back = BeachException.fromJson(e.toJson());
    assertEquals(e.toJson(), back.toJson());
  }

  /** A failure from a peer whose fields have the wrong types is still a failure, never a ClassCastException. */
  @Test
  void aFailureWithMistypedFieldsStillReadsAsAFailure() {
    BeachException e = BeachException.fromJson(new JsonObject().put("code", "409").put("message", 7)
      .put("realm", new JsonArray().add(1)).put("op", true).put("details", "none"));
    assertEquals(ErrorCode.ACTOR_FAILED, e.code());
    assertEquals("7", e.getMessage());
    assertEquals("[1]", e.realm());
    assertEquals("true", e.op());
    assertNull(e.category());
    assertTrue(e.details().isEmpty());
    assertEquals(ErrorCode.ACTOR_FAILED, BeachException.fromJson(new JsonObject()).code());
    assertEquals(ErrorCode.NOT_FOUND, BeachException.fromJson(new JsonObject().put("code", 404.0)).code());
  }
}
