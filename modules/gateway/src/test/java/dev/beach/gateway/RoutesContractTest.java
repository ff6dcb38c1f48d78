package dev.beach.gateway;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every route of the HTTP contract on an open gateway: the success answer and each documented error. */
class RoutesContractTest {

  private static final String ECHO = TestActors.Echo.class.getName();
  private static LiveNode live;
  private static Http http;

  @BeforeAll
  static void start() {
    live = LiveNode.start();
    http = live.http;
    live.deploy("test", TestActors.Echo.class, "echo", 2);
    live.deploy("test", TestActors.Streamer.class, "stream", 1);
    // A request that is never answered occupies its actor's mailbox for good: keep those away from "echo".
    live.deploy("test", TestActors.Echo.class, "stuck", 1);
  }

  @AfterAll
  static void stop() {
    live.close();
  }

  private static void assertError(int status, Http.Response r) {
    assertEquals(status, r.status, r.toString());
    assertEquals(status, r.error().getInteger("code"), r.toString());
    assertNotNull(r.error().getString("message"), r.toString());
    assertTrue(r.header("content-type").startsWith("application/json"), r.toString());
  }

  // ------------------------------------------------------------------ caching

  @Test
  void apiAnswersAreNeverCachedAndOthersMayBe() {
    assertEquals("no-store", http.get("/v1/health").header("cache-control"), "a matched API route");
    assertEquals("no-store", http.get("/v1/no/such/route").header("cache-control"), "an unmatched API path (404)");
    assertEquals("no-store", http.post("/v1/realms/test/categories/echo/echo", "{\"a\":1}")
      .header("cache-control"), "a dispatch");
    assertEquals(null, http.get("/health/live").header("cache-control"), "outside /v1/");
  }

  // ------------------------------------------------------------------ health, nodes, realms

  @Test
  void healthNamesTheNodeAndCountsNodes() {
    JsonObject h = http.get("/v1/health").json();
    assertEquals("UP", h.getString("status"));
    assertEquals(live.node.id(), h.getString("node"));
    assertEquals(1, h.getInteger("nodes"));
  }

  @Test
  void nodesListsThisNodeWithItsFigures() {
    JsonArray nodes = http.get("/v1/nodes").array();
    assertEquals(1, nodes.size());
    JsonObject n = nodes.getJsonObject(0);
    assertEquals(live.node.id(), n.getString("id"));
    for (String key : List.of("host", "tags", "startedAt", "uptimeMs", "cpu", "heapUsed", "heapMax", "actors")) {
      assertTrue(n.containsKey(key), key + " missing in " + n);
    }
  }

  @Test
  void oneNodeByIdAnd404ForAnUnknownOne() {
    assertEquals(live.node.id(), http.get("/v1/nodes/" + live.node.id()).json().getString("id"));
    assertError(404, http.get("/v1/nodes/nosuchnode"));
    assertError(400, http.get("/v1/nodes/bad%20id"));
  }

  @Test
  void realmsCountActorsAndCategories() {
    JsonObject test = find(http.get("/v1/realms").array(), "name", "test");
    assertTrue(test.getInteger("actors") >= 3, test.encode());
    assertTrue(test.getInteger("categories") >= 2, test.encode());
  }

  @Test
  void categoriesOfARealmWithCountsPerNode() {
    JsonArray cats = http.get("/v1/realms/test/categories").array();
    JsonObject echo = find(cats, "name", "echo");
    assertEquals(2, echo.getInteger("actors"));
    assertEquals(2, echo.getJsonObject("nodes").getInteger(live.node.id()));
    assertError(404, http.get("/v1/realms/nosuchrealm/categories"));
    assertError(400, http.get("/v1/realms/Bad_Realm/categories"));
  }

  // ------------------------------------------------------------------ actors

  @Test
  void actorsOfARealmCarryStatsAndNoParams() {
    Http.Response r = http.get("/v1/realms/test/actors?category=echo");
    assertEquals(200, r.status, r.toString());
    JsonArray actors = r.array();
    assertEquals(2, actors.size());
    assertEquals("2", r.header("x-total-count"));
    JsonObject a = actors.getJsonObject(0);
    assertEquals(ECHO, a.getString("class"));
    assertEquals("test", a.getString("realm"));
    assertNotNull(a.getJsonObject("stats"), a.encode());
    assertFalse(a.containsKey("params"));
    assertEquals(1, http.get("/v1/realms/test/actors?category=echo&limit=1").array().size());
    assertError(404, http.get("/v1/realms/nosuchrealm/actors"));
    assertError(400, http.get("/v1/realms/test/actors?category=Bad..Cat"));
    assertError(400, http.get("/v1/realms/test/actors?limit=zero"));
  }

  @Test
  void deployAnswers201WithIdsThenStopOneAnswers204() {
    Http.Response r = http.post("/v1/realms/test/actors", new JsonObject().put("class", ECHO)
      .put("categories", new JsonArray().add("deployed")).put("instances", 2)
      .put("params", new JsonObject().put("_secret", "hunter2").put("visible", 1)).encode());
    assertEquals(201, r.status, r.toString());
    JsonArray ids = r.json().getJsonArray("ids");
    assertEquals(2, ids.size());
    assertFalse(http.get("/v1/realms/test/actors?category=deployed").body.contains("hunter2"));
    // The actor did get its private parameter.
    assertEquals(true, http.post("/v1/realms/test/categories/deployed/secret", "{}").json().getBoolean("hasSecret"));

    assertEquals(204, http.delete("/v1/realms/test/actors/" + ids.getString(0)).status);
    assertError(404, http.delete("/v1/realms/test/actors/" + ids.getString(0)));
    assertEquals(1, http.delete("/v1/realms/test/actors?category=deployed").json().getInteger("stopped"));
    assertEquals(0, http.get("/v1/realms/test/actors?category=deployed").array().size());
  }

  @Test
  void deployErrors() {
    assertError(404, http.post("/v1/realms/test/actors", "{\"class\":\"no.such.Actor\",\"categories\":[\"x\"]}"));
    assertError(400, http.post("/v1/realms/test/actors", "{\"class\":\"" + ECHO + "\"}"));
    assertError(400, http.post("/v1/realms/test/actors", "{\"class\":\"" + ECHO + "\",\"categories\":[\"x\"],\"instances\":0}"));
    assertError(400, http.post("/v1/realms/test/actors", "{\"class\":\"" + ECHO + "\",\"categories\":\"x\",\"strategy\":\"nowhere\"}"));
    assertError(400, http.post("/v1/realms/test/actors", "{\"class\":\"" + ECHO + "\",\"categories\":\"x\",\"realm\":\"other\"}"));
    assertError(400, http.post("/v1/realms/test/actors", "[1,2]"));
    assertError(400, http.post("/v1/realms/test/actors", "{\"class\":"));
    assertError(415, http.send("POST", "/v1/realms/test/actors", "class=x".getBytes(StandardCharsets.UTF_8),
      "application/x-www-form-urlencoded"));
    assertError(503, http.post("/v1/realms/test/actors", "{\"class\":\"" + ECHO + "\",\"categories\":\"x\",\"strategy\":\"node(nosuchnode)\"}"));
  }

  @Test
  void stopErrors() {
    assertError(400, http.delete("/v1/realms/test/actors"));
    assertError(400, http.delete("/v1/realms/test/actors/bad!id"));
    // An actor of another realm is not reachable through this realm's path.
    String other = live.deploy("other", TestActors.Echo.class, "echo", 1).get(0);
    try {
      assertError(404, http.delete("/v1/realms/test/actors/" + other));
    } finally {
      assertEquals(204, http.delete("/v1/realms/other/actors/" + other).status);
    }
  }

  @Test
  void restartRollsTheActorsOfACategory() {
    live.deploy("test", TestActors.Echo.class, "rolling", 2);
    Http.Response r = http.send("POST", "/v1/realms/test/restart?category=rolling", null, null);
    assertEquals(200, r.status, r.toString());
    assertEquals(2, r.json().getInteger("restarted"));
    assertEquals(2, http.get("/v1/realms/test/actors?category=rolling").array().size());
    assertEquals(2, http.delete("/v1/realms/test/actors?category=rolling").json().getInteger("stopped"));
    assertError(404, http.send("POST", "/v1/realms/nosuchrealm/restart", null, null));
  }

  // ------------------------------------------------------------------ dispatch

  @Test
  void requestAnswersTheReply() {
    Http.Response r = http.post("/v1/realms/test/categories/echo/echo", "{\"hello\":\"world\"}");
    assertEquals(200, r.status, r.toString());
    assertEquals("world", r.json().getString("hello"));
    assertNotNull(r.json().getString("actor"));
  }

  @Test
  void anyJsonValueIsABodyAndEmptyIsNull() {
    assertEquals("[1,2,3]", http.post("/v1/realms/test/categories/echo/raw", "[1,2,3]").body);
    assertEquals("\"text\"", http.post("/v1/realms/test/categories/echo/raw", "\"text\"").body);
    assertEquals("42", http.post("/v1/realms/test/categories/echo/raw", "42").body);
    assertEquals("null", http.post("/v1/realms/test/categories/echo/raw", null).body);
  }

  @Test
  void bytesGoInAndComeOutAsOctetStreams() {
    Http.Response r = http.send("POST", "/v1/realms/test/categories/echo/bytes", new byte[] {9}, "application/octet-stream");
    assertEquals(200, r.status, r.toString());
    assertEquals("application/octet-stream", r.header("content-type"));
  }

  @Test
  void shootAnswers202() {
    Http.Response r = http.post("/v1/realms/test/categories/echo/echo?mode=shoot", "{}");
    assertEquals(202, r.status, r.toString());
    assertTrue(r.json().getBoolean("accepted"));
  }

  @Test
  void broadcastAnswers202WithTheNumberReached() {
    Http.Response r = http.post("/v1/realms/test/categories/echo/echo?mode=broadcast", "{}");
    assertEquals(202, r.status, r.toString());
    assertEquals(2, r.json().getInteger("targeted"));
  }

  @Test
  void allGathersEveryActorsOutcome() {
    JsonArray replies = http.post("/v1/realms/test/categories/echo/echo?mode=all", "{\"x\":1}").json().getJsonArray("replies");
    assertEquals(2, replies.size());
    for (Object o : replies) {
      JsonObject r = (JsonObject) o;
      assertTrue(r.getBoolean("ok"), r.encode());
      assertEquals(r.getString("actor"), r.getJsonObject("data").getString("actor"));
      assertEquals(live.node.id(), r.getString("node"));
    }
    JsonArray failed = http.post("/v1/realms/test/categories/echo/fail?mode=all", "{}").json().getJsonArray("replies");
    assertEquals(409, failed.getJsonObject(0).getJsonObject("error").getInteger("code"));
  }

  @Test
  void streamAnswersNdjsonLines() {
    Http.Response r = http.post("/v1/realms/test/categories/stream/count?mode=stream", "{\"n\":3}");
    assertEquals(200, r.status, r.toString());
    assertEquals("application/x-ndjson", r.header("content-type"));
    assertArrayEquals(new String[] {"{\"i\":0}", "{\"i\":1}", "{\"i\":2}"}, r.body.trim().split("\n"));
  }

  @Test
  void affinityKeySendsTheSameKeyToTheSameActor() {
    String first = http.post("/v1/realms/test/categories/echo/whoami?key=user-42", "{}").json().getString("actor");
    for (int i = 0; i < 5; i++) {
      JsonObject r = http.post("/v1/realms/test/categories/echo/whoami?key=user-42", "{}").json();
      assertEquals(first, r.getString("actor"));
      assertEquals("user-42", r.getString("key"));
    }
  }

  @Test
  void requestsCarryTheCallersIdentity() {
    assertEquals("http:open", http.post("/v1/realms/test/categories/echo/whoami", "{}").json().getString("ident"));
  }

  @Test
  void dispatchErrorsMapToTheirStatus() {
    assertError(409, http.post("/v1/realms/test/categories/echo/fail", "{}"));
    Http.Response boom = http.post("/v1/realms/test/categories/echo/boom", "{}");
    assertError(500, boom);
    assertTrue(boom.error().getString("message").contains("boom"), boom.toString());
    assertError(404, http.post("/v1/realms/test/categories/echo/nosuchop", "{}"));
    assertError(503, http.post("/v1/realms/test/categories/empty/echo", "{}"));
    assertError(503, http.post("/v1/realms/test/categories/empty/echo?mode=all", "{}"));
    assertError(503, http.post("/v1/realms/test/categories/empty/echo?mode=broadcast", "{}"));
    long t0 = System.currentTimeMillis();
    assertError(504, http.post("/v1/realms/test/categories/stuck/never?timeout=200", "{}"));
    assertTrue(System.currentTimeMillis() - t0 < 3000, "a 200 ms timeout took " + (System.currentTimeMillis() - t0) + " ms");
    assertError(400, http.post("/v1/realms/test/categories/echo/echo?mode=sideways", "{}"));
    assertError(400, http.post("/v1/realms/test/categories/echo/echo?timeout=-1", "{}"));
    assertError(400, http.post("/v1/realms/test/categories/echo/echo?timeout=soon", "{}"));
    assertError(400, http.post("/v1/realms/test/categories/Echo/echo", "{}"));
    assertError(400, http.post("/v1/realms/test/categories/echo/bad%20op", "{}"));
    assertError(400, http.post("/v1/realms/test/categories/echo/echo", "{\"a\":"));
    assertError(415, http.send("POST", "/v1/realms/test/categories/echo/echo", "<a/>".getBytes(StandardCharsets.UTF_8), "text/xml"));
  }

  @Test
  void malformedJsonNamesThePosition() {
    Http.Response r = http.post("/v1/realms/test/categories/echo/echo", "{\n  \"a\": tru\n}");
    assertError(400, r);
    assertTrue(r.error().getString("message").contains("line 2"), r.toString());
  }

  @Test
  void invalidNamesQuoteTheRule() {
    Http.Response r = http.get("/v1/realms/UPPER/actors");
    assertError(400, r);
    assertTrue(r.error().getString("message").contains("[a-z0-9][a-z0-9_-]{0,62}"), r.toString());
  }

  @Test
  void oversizedBodiesAre413() {
    byte[] big = new byte[GatewayOptions.DEFAULT_MAX_BODY_BYTES > Integer.MAX_VALUE ? 0 : (int) GatewayOptions.DEFAULT_MAX_BODY_BYTES + 10];
    java.util.Arrays.fill(big, (byte) ' ');
    assertError(413, http.send("POST", "/v1/realms/test/categories/echo/echo", big, "application/json"));
  }

  // ------------------------------------------------------------------ code

  @Test
  void codeIsPushedListedAndRead() {
    String source = "public class Hello extends dev.beach.Actor {}\n";
    Http.Response put = http.send("PUT", "/v1/realms/coderealm/code/Hello.java", source.getBytes(StandardCharsets.UTF_8),
      "text/x-java-source");
    assertEquals(201, put.status, put.toString());
    assertEquals(source.length(), put.json().getInteger("size"));
    JsonArray files = http.get("/v1/realms/coderealm/code").array();
    assertEquals("Hello.java", files.getJsonObject(0).getString("file"), files.encode());
    assertEquals(source, http.get("/v1/realms/coderealm/code/Hello.java").body);
    assertError(404, http.get("/v1/realms/coderealm/code/Missing.java"));
    assertError(400, http.get("/v1/realms/coderealm/code/evil.sh"));
    assertError(400, http.send("PUT", "/v1/realms/coderealm/code/..java", new byte[] {1}, "application/octet-stream"));
    assertError(400, http.send("PUT", "/v1/realms/coderealm/code/Empty.java", new byte[0], "application/octet-stream"));
  }

  // ------------------------------------------------------------------ admin

  @Test
  void adminCommandsNeedConfirmation() {
    assertError(400, http.send("POST", "/v1/admin/flush", null, null));
    assertError(400, http.send("POST", "/v1/admin/shutdown?node=" + live.node.id(), null, null));
    assertError(400, http.send("POST", "/v1/admin/shutdown?confirm=true", null, null));
    assertError(404, http.send("POST", "/v1/admin/shutdown?node=nosuchnode&confirm=true", null, null));
    assertError(400, http.send("POST", "/v1/admin/flush?confirm=maybe", null, null));
  }

  // ------------------------------------------------------------------ routing

  @Test
  void unknownRoutesAre404Json() {
    assertError(404, http.get("/v1/nothing/here"));
    assertError(404, http.get("/nothing"));
  }

  @Test
  void wrongMethodsAre405WithAllow() {
    Http.Response r = http.send("PUT", "/v1/nodes", null, null);
    assertError(405, r);
    assertEquals("GET", r.header("allow"));
    assertError(405, http.delete("/v1/health"));
  }

  @Test
  void rootServesTheDashboard() {
    // beach-webui is on the gateway's classpath: / is the dashboard, and its modules are served beside it.
    Http.Response root = http.send("GET", "/", null, null, "Accept", "text/html");
    assertEquals(200, root.status);
    assertTrue(root.body.contains("<title>Beach</title>"), root.body);
    assertEquals(200, http.get("/js/app.js").status);
    assertEquals(404, http.get("/js/no-such-file.js").status);
  }

  @Test
  void probesAnswer() {
    assertEquals(200, http.get("/health/live").status);
    Http.Response ready = http.get("/health/ready");
    assertEquals(200, ready.status, ready.toString());
    assertEquals("UP", ready.json().getString("status"));
  }

  @Test
  void openapiIsServed() {
    Http.Response r = http.get("/v1/openapi.yaml");
    assertEquals(200, r.status);
    assertTrue(r.body.startsWith("openapi: 3"));
  }

  static JsonObject find(JsonArray array, String key, String value) {
    for (Object o : array) {
      if (value.equals(((JsonObject) o).getString(key))) {
        return (JsonObject) o;
      }
    }
    throw new AssertionError("no " + key + "=" + value + " in " + array.encode());
  }
}
