package dev.beach.gateway;

import io.vertx.core.json.JsonArray;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Who may call what once tokens are configured: no token / an unknown token / the token of realm "test" /
 * the admin token, against a route of each access group (public, any token, realm, admin).
 */
class AuthMatrixTest {

  private static final String ADMIN = "admin-token-0123";
  private static final String TEST = "test-token-4567";
  private static final String OTHER = "other-token-89ab";
  private static LiveNode live;

  /** One route of the matrix and the status a caller allowed to use it gets. */
  private static final class Row {
    final String group;
    final String method;
    final String path;
    final String body;
    final int ok;

    Row(String group, String method, String path, String body, int ok) {
      this.group = group;
      this.method = method;
      this.path = path;
      this.body = body;
      this.ok = ok;
    }
  }

  private static final String ECHO = TestActors.Echo.class.getName();
  private static final List<Row> ROWS = List.of(
    new Row("public", "GET", "/v1/health", null, 200),
    new Row("public", "GET", "/health/live", null, 200),
    new Row("public", "GET", "/health/ready", null, 200),
    new Row("public", "GET", "/v1/openapi.yaml", null, 200),
    new Row("public", "GET", "/", null, 200),
    new Row("any", "GET", "/v1/nodes", null, 200),
    new Row("any", "GET", "/v1/realms", null, 200),
    new Row("realm", "GET", "/v1/realms/test/actors", null, 200),
    new Row("realm", "GET", "/v1/realms/test/categories", null, 200),
    new Row("realm", "POST", "/v1/realms/test/categories/echo/echo", "{}", 200),
    new Row("realm", "POST", "/v1/realms/test/actors", "{\"class\":\"" + ECHO + "\",\"categories\":\"authdeploy\"}", 201),
    new Row("realm", "DELETE", "/v1/realms/test/actors?category=authdeploy", null, 200),
    new Row("realm", "POST", "/v1/realms/test/restart?category=nothing", null, 200),
    new Row("realm", "GET", "/v1/realms/test/code", null, 200),
    new Row("other-realm", "GET", "/v1/realms/other/actors", null, 200),
    new Row("other-realm", "POST", "/v1/realms/other/categories/echo/echo", "{}", 200),
    new Row("other-realm", "DELETE", "/v1/realms/other/actors?category=nothing", null, 200),
    new Row("admin", "PUT", "/v1/realms/test/code/Auth.java", "class Auth {}", 201),
    new Row("admin", "POST", "/v1/admin/flush", null, 400),
    new Row("admin", "POST", "/v1/admin/shutdown", null, 400),
    new Row("admin", "GET", "/metrics", null, 200));

  @BeforeAll
  static void start() {
    live = LiveNode.start(new GatewayOptions().setAdminToken(ADMIN).putRealmToken("test", TEST).putRealmToken("other", OTHER));
    live.deploy("test", TestActors.Echo.class, "echo", 1);
    live.deploy("other", TestActors.Echo.class, "echo", 1);
  }

  @AfterAll
  static void stop() {
    live.close();
  }

  private static int expected(Row row, String caller) {
    switch (row.group) {
      case "public":
        return row.ok;
      case "any":
        return caller.equals("none") || caller.equals("unknown") ? 401 : row.ok;
      case "realm":
        return caller.equals("none") || caller.equals("unknown") ? 401 : row.ok;
      case "other-realm":
        return caller.equals("none") || caller.equals("unknown") ? 401 : caller.equals("realm") ? 403 : row.ok;
      default:
        return caller.equals("none") || caller.equals("unknown") ? 401 : caller.equals("realm") ? 403 : row.ok;
    }
  }

  @Test
  void everyRouteGroupAgainstEveryKindOfCaller() {
    List<String> failures = new ArrayList<>();
    String[][] callers = {{"none", null}, {"unknown", "not-a-token"}, {"realm", TEST}, {"admin", ADMIN}};
    for (String[] caller : callers) {
      Http http = live.http.withToken(caller[1]);
      for (Row row : ROWS) {
        byte[] body = row.body == null ? null : row.body.getBytes(StandardCharsets.UTF_8);
        String type = row.body == null ? null : row.path.contains("/code/") ? "text/x-java-source" : "application/json";
        Http.Response r = http.send(row.method, row.path, body, type);
        int want = expected(row, caller[0]);
        if (r.status != want) {
          failures.add(caller[0] + " " + row.method + " " + row.path + ": want " + want + ", got " + r);
        } else if (want == 401 && r.header("www-authenticate") == null) {
          failures.add(caller[0] + " " + row.method + " " + row.path + ": 401 without WWW-Authenticate");
        }
      }
    }
    assertTrue(failures.isEmpty(), String.join("\n", failures));
  }

  @Test
  void aRealmTokenSeesOnlyItsRealm() {
    JsonArray realms = live.http.withToken(TEST).get("/v1/realms").array();
    assertEquals(1, realms.size(), realms.encode());
    assertEquals("test", realms.getJsonObject(0).getString("name"));
    assertEquals(2, live.http.withToken(ADMIN).get("/v1/realms").array().size());
  }

  @Test
  void aRealmTokenCannotStopAnotherRealmsActorById() {
    String other = live.deploy("other", TestActors.Echo.class, "victim", 1).get(0);
    assertEquals(403, live.http.withToken(TEST).delete("/v1/realms/other/actors/" + other).status);
    assertEquals(404, live.http.withToken(TEST).delete("/v1/realms/test/actors/" + other).status);
    assertEquals(204, live.http.withToken(OTHER).delete("/v1/realms/other/actors/" + other).status);
  }

  @Test
  void theIdentSentToActorsNamesTheCaller() {
    assertEquals("http:realm:test", live.http.withToken(TEST).post("/v1/realms/test/categories/echo/whoami", "{}")
      .json().getString("ident"));
    assertEquals("http:admin", live.http.withToken(ADMIN).post("/v1/realms/test/categories/echo/whoami", "{}")
      .json().getString("ident"));
  }

  @Test
  void eventStreamsNeedATokenAndRealmTokensStayInTheirRealm() throws Exception {
    assertEquals(401, sseStatus(null, ""));
    assertEquals(200, sseStatus(TEST, ""));
    assertEquals(200, sseStatus(TEST, "?realm=test"));
    assertEquals(403, sseStatus(TEST, "?realm=other"));
    assertEquals(200, sseStatus(ADMIN, "?realm=other"));
  }

  @Test
  void unauthenticatedCallersAreRefusedBeforeTheBodyIsRead() {
    // 10 MiB to a 1 MiB route: without a token the answer is 401, not 413.
    byte[] big = new byte[10 * 1024 * 1024];
    assertEquals(401, live.http.send("POST", "/v1/realms/test/categories/echo/echo", big, "application/json").status);
  }

  @Test
  void bearerSchemeIsCaseInsensitiveAndOtherSchemesAreRefused() {
    assertEquals(200, live.http.send("GET", "/v1/nodes", null, null, "Authorization", "bearer " + ADMIN).status);
    assertEquals(401, live.http.send("GET", "/v1/nodes", null, null, "Authorization", "Basic " + ADMIN).status);
    assertEquals(401, live.http.send("GET", "/v1/nodes", null, null, "Authorization", "Bearer " + ADMIN + "x").status);
  }

  private static int sseStatus(String token, String query) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(live.http.base() + "/v1/events" + query))
      .timeout(Duration.ofSeconds(10));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    HttpClient client = HttpClient.newHttpClient();
    HttpResponse<InputStream> r = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    r.body().close();
    return r.statusCode();
  }
}
