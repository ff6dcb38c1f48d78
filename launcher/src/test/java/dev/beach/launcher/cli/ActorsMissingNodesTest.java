package dev.beach.launcher.cli;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code beach actors} warns when the gateway says nodes did not answer the listing ({@code X-Missing-Nodes}). The
 * gateway side, with a real hung node, is {@code GatewayMissingNodesTest} (gateway); here a plain HTTP server
 * answers as such a gateway does, so the test is about what the command prints.
 */
class ActorsMissingNodesTest {

  private Vertx vertx;

  @AfterEach
  void close() {
    if (vertx != null) {
      LiveGateway.await(vertx.close());
    }
  }

  private String gateway(String missing) {
    vertx = Vertx.vertx();
    JsonArray actors = new JsonArray().add(new JsonObject().put("id", "a1-1").put("realm", "r")
      .put("categories", new JsonArray().add("c")).put("class", "Echo").put("node", "a1"));
    HttpServer server = LiveGateway.await(vertx.createHttpServer().requestHandler(req -> {
      if (req.path().equals("/v1/realms/r/actors")) {
        req.response().putHeader("Content-Type", "application/json").putHeader("X-Total-Count", "1")
          .putHeader("X-Missing-Nodes", missing).end(actors.encode());
      } else {
        req.response().setStatusCode(404).end();
      }
    }).listen(0, "127.0.0.1"));
    return "http://127.0.0.1:" + server.actualPort();
  }

  @Test
  void missingNodesAreAWarningOnStderr() {
    String url = gateway("n2,n3");
    LiveGateway.Result r = LiveGateway.runRaw("actors", "--url", url, "--realm", "r");
    assertEquals(0, r.code, r.toString());
    assertTrue(r.out.contains("a1-1"), r.toString());
    assertTrue(r.err.contains("warning: nodes n2, n3 did not answer in time"), r.toString());
    LiveGateway.Result json = LiveGateway.runRaw("actors", "--url", url, "--realm", "r", "--json");
    assertEquals("a1-1", new JsonArray(json.out).getJsonObject(0).getString("id"), "stdout stays JSON");
    assertTrue(json.err.contains("n2, n3"), json.toString());
  }

  @Test
  void aCompleteListingWarnsOfNothing() {
    LiveGateway.Result r = LiveGateway.runRaw("actors", "--url", gateway(""), "--realm", "r");
    assertEquals(0, r.code, r.toString());
    assertFalse(r.err.contains("warning"), r.toString());
  }
}
