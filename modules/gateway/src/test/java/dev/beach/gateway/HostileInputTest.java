package dev.beach.gateway;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Malformed, oversized, traversal, injection and wrong-typed input: every one answers a 4xx (never a 5xx,
 * never a hang) and the node still serves requests afterwards.
 */
class HostileInputTest {

  private static final String ECHO = TestActors.Echo.class.getName();
  private static final String DISPATCH = "/v1/realms/test/categories/echo/echo";
  private static final String DEPLOY = "/v1/realms/test/actors";
  private static LiveNode live;
  /** Short timeouts, so a stalled body or a half-sent head resolves within a case's time. */
  private static LiveNode strict;

  private static final class Case {
    final String name;
    final String method;
    final String path;
    final byte[] body;
    final String type;
    final String[] headers;

    Case(String name, String method, String path, byte[] body, String type, String... headers) {
      this.name = name;
      this.method = method;
      this.path = path;
      this.body = body;
      this.type = type;
      this.headers = headers;
    }
  }

  @BeforeAll
  static void start() {
    live = LiveNode.start();
    live.deploy("test", TestActors.Echo.class, "echo", 1);
    strict = LiveNode.start(new GatewayOptions().setHeaderTimeoutMs(1000).setIdleTimeoutMs(1000));
    strict.deploy("test", TestActors.Echo.class, "echo", 2);
  }

  @AfterAll
  static void stop() {
    live.close();
    strict.close();
  }

  private static Case json(String name, String path, String body) {
    return new Case(name, "POST", path, body.getBytes(StandardCharsets.UTF_8), "application/json");
  }

  private static Case deploy(String name, String fields) {
    return json(name, DEPLOY, "{\"class\":\"" + ECHO + "\",\"categories\":[\"h\"]," + fields + "}");
  }

  private static Case get(String name, String path) {
    return new Case(name, "GET", path, null, null);
  }

  private static String repeat(String s, int n) {
    return s.repeat(n);
  }

  static List<Case> cases() {
    List<Case> c = new ArrayList<>();
    // Malformed JSON
    c.add(json("unclosed object", DISPATCH, "{"));
    c.add(json("lone closing brace", DISPATCH, "}"));
    c.add(json("missing value", DISPATCH, "{\"a\":}"));
    c.add(json("trailing comma", DISPATCH, "[1,2,]"));
    c.add(json("trailing garbage", DISPATCH, "{\"a\":1}}"));
    c.add(json("bare word", DISPATCH, "nul"));
    c.add(json("single quotes", DISPATCH, "{'a':1}"));
    c.add(json("NaN", DISPATCH, "{\"a\":NaN}"));
    c.add(json("comment", DISPATCH, "{/*x*/\"a\":1}"));
    c.add(json("deep nesting", DISPATCH, repeat("[", 5000) + repeat("]", 5000)));
    c.add(json("2000-digit number", DISPATCH, "{\"n\":" + repeat("9", 2000) + "}"));
    c.add(json("top-level integer beyond long", DISPATCH, "123456789012345678901234567890"));
    c.add(new Case("invalid UTF-8", "POST", DISPATCH, new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'},
      "application/json"));
    c.add(json("control character in string", DISPATCH, "{\"a\":\"\u0001\"}"));
    c.add(json("malformed deploy body", DEPLOY, "{\"class\":"));
    // Wrong types
    c.add(deploy("instances as text", "\"instances\":\"two\""));
    c.add(deploy("instances fractional", "\"instances\":1.5"));
    c.add(deploy("instances huge", "\"instances\":1000000000"));
    c.add(deploy("instances negative", "\"instances\":-1"));
    c.add(deploy("concurrency zero", "\"concurrency\":0"));
    c.add(deploy("params as array", "\"params\":[1]"));
    c.add(deploy("strategy as object", "\"strategy\":{}"));
    c.add(deploy("unknown strategy", "\"strategy\":\"everywhere\""));
    c.add(deploy("strategy without argument", "\"strategy\":\"affinity\""));
    c.add(json("class as number", DEPLOY, "{\"class\":42,\"categories\":[\"h\"]}"));
    c.add(json("categories as number", DEPLOY, "{\"class\":\"" + ECHO + "\",\"categories\":5}"));
    c.add(json("categories with a number", DEPLOY, "{\"class\":\"" + ECHO + "\",\"categories\":[\"a\",5]}"));
    c.add(json("body is an array", DEPLOY, "[]"));
    c.add(json("body is a string", DEPLOY, "\"deploy\""));
    c.add(json("class with injection", DEPLOY, "{\"class\":\"x; rm -rf /\",\"categories\":[\"h\"]}"));
    c.add(json("class path traversal", DEPLOY, "{\"class\":\"../../etc/passwd\",\"categories\":[\"h\"]}"));
    // Names: traversal and injection
    c.add(get("realm traversal", "/v1/realms/..%2F..%2Fetc/actors"));
    c.add(get("realm dot-dot", "/v1/realms/%2e%2e/actors"));
    c.add(get("realm with semicolon", "/v1/realms/test%3Brm%20-rf/actors"));
    c.add(get("realm upper case", "/v1/realms/TEST/actors"));
    c.add(get("realm too long", "/v1/realms/" + repeat("a", 64) + "/actors"));
    c.add(get("realm with null byte", "/v1/realms/te%00st/actors"));
    c.add(get("realm unicode", "/v1/realms/t%C3%A9st/actors"));
    c.add(json("category with quote", "/v1/realms/test/categories/echo'%20OR%201=1/echo", "{}"));
    c.add(json("category empty segment", "/v1/realms/test/categories/echo..x/echo", "{}"));
    c.add(json("category too long", "/v1/realms/test/categories/" + repeat("a", 300) + "/echo", "{}"));
    c.add(json("op with script tag", "/v1/realms/test/categories/echo/%3Cscript%3E", "{}"));
    c.add(json("op with newline", "/v1/realms/test/categories/echo/ec%0Aho", "{}"));
    c.add(json("op too long", "/v1/realms/test/categories/echo/" + repeat("o", 200), "{}"));
    c.add(get("category filter injection", "/v1/realms/test/actors?category=%27%3B--"));
    c.add(new Case("actor id with space", "DELETE", "/v1/realms/test/actors/a%20b", null, null));
    c.add(new Case("actor id too long", "DELETE", "/v1/realms/test/actors/" + repeat("x", 100), null, null));
    c.add(get("code file traversal", "/v1/realms/test/code/..%2F..%2Fetc%2Fpasswd.java"));
    c.add(get("code file with backslash", "/v1/realms/test/code/a%5Cb.java"));
    c.add(new Case("code file shell script", "PUT", "/v1/realms/test/code/run.sh", new byte[] {1}, "application/octet-stream"));
    c.add(get("node id with slash", "/v1/nodes/a%2Fb"));
    // Query parameters
    c.add(json("mode unknown", DISPATCH + "?mode=everything", "{}"));
    c.add(json("mode given twice", DISPATCH + "?mode=one&mode=all", "{}"));
    c.add(json("timeout not a number", DISPATCH + "?timeout=1e3", "{}"));
    c.add(json("timeout too large", DISPATCH + "?timeout=99999999999", "{}"));
    c.add(json("timeout negative", DISPATCH + "?timeout=-5", "{}"));
    c.add(json("retries too many", DISPATCH + "?retries=1000", "{}"));
    c.add(json("key too long", DISPATCH + "?key=" + repeat("k", 300), "{}"));
    c.add(json("key and local together", DISPATCH + "?key=a&local=true", "{}"));
    c.add(get("limit negative", "/v1/realms/test/actors?limit=-5"));
    c.add(get("event type injection", "/v1/events?type=%3Cscript%3E"));
    c.add(get("event realm invalid", "/v1/events?realm=..%2Fx"));
    c.add(new Case("flush confirm garbage", "POST", "/v1/admin/flush?confirm=perhaps", null, null));
    c.add(new Case("shutdown without node", "POST", "/v1/admin/shutdown?confirm=true", null, null));
    // Size, method and content type
    c.add(new Case("body over the limit", "POST", DISPATCH, new byte[2 * 1024 * 1024], "application/json"));
    c.add(new Case("deploy body over the limit", "POST", DEPLOY, new byte[2 * 1024 * 1024], "application/json"));
    c.add(new Case("text/plain body", "POST", DISPATCH, "{}".getBytes(StandardCharsets.UTF_8), "text/plain"));
    c.add(new Case("multipart body", "POST", DISPATCH, "--x\r\n\r\n--x--".getBytes(StandardCharsets.UTF_8),
      "multipart/form-data; boundary=x"));
    c.add(new Case("form body", "POST", DEPLOY, "class=x".getBytes(StandardCharsets.UTF_8),
      "application/x-www-form-urlencoded"));
    c.add(new Case("PATCH on nodes", "PATCH", "/v1/nodes", null, null));
    c.add(new Case("DELETE on realms", "DELETE", "/v1/realms", null, null));
    c.add(new Case("GET on dispatch", "GET", DISPATCH, null, null));
    c.add(get("unknown API path", "/v1/../../etc/passwd"));
    c.add(get("unknown version", "/v2/nodes"));
    c.add(get("URL of 10,000 characters", "/v1/" + repeat("a", 10_000)));
    c.add(new Case("header of 20,000 characters", "GET", "/v1/nodes", null, null, "X-Big", repeat("h", 20_000)));
    return c;
  }

  @Test
  void everyHostileInputIsA4xxAndTheNodeStaysHealthy() {
    List<Case> cases = cases();
    assertTrue(cases.size() >= 50, "only " + cases.size() + " cases");
    List<String> failures = new ArrayList<>();
    for (Case c : cases) {
      Http.Response r = live.http.send(c.method, c.path, c.body, c.type, c.headers);
      if (r.status < 400 || r.status > 499) {
        failures.add(c.name + ": " + r);
      } else if (r.status != 414 && r.status != 431) {
        // Everything the router answers is a JSON error whose code is the status.
        try {
          if (r.error().getInteger("code") != r.status) {
            failures.add(c.name + ": error code differs from status: " + r);
          }
        } catch (RuntimeException e) {
          failures.add(c.name + ": not a JSON error: " + r);
        }
      }
      Http.Response health = live.http.get("/v1/health");
      if (health.status != 200) {
        failures.add("after " + c.name + " the node is unhealthy: " + health);
      }
    }
    assertTrue(failures.isEmpty(), failures.size() + " of " + cases.size() + " failed:\n" + String.join("\n", failures));
    JsonObject reply = live.http.post(DISPATCH, "{\"still\":\"alive\"}").json();
    assertEquals("alive", reply.getString("still"));
  }

  /**
   * The hostile-input suite generated from openapi.yaml ({@link HostileCases}), on its own raw connection per
   * case: at least 2,000 cases, not one answered 500 (or any 5xx but 503/504, which say no actor could answer),
   * not one left hanging, every error a JSON error with the status as its code and the security headers on,
   * every ambiguous framing refused with 4xx and the connection closed; and the node healthy afterwards.
   */
  @Test
  void generatedFromTheOpenApiDocumentNoCaseIsA500OrAHang() throws Exception {
    List<HostileCases.Case> cases = new HostileCases(live.node.id()).all();
    assertTrue(cases.size() >= 2000, "only " + cases.size() + " cases");
    int port = strict.gateway.port();
    List<String> failures = new ArrayList<>();
    java.util.Map<Integer, Integer> statuses = new java.util.TreeMap<>();
    long started = System.currentTimeMillis();
    for (int i = 0; i < cases.size(); i++) {
      HostileCases.Case c = cases.get(i);
      long t0 = System.currentTimeMillis();
      RawHttp.Reply r = RawHttp.send(port, c.request, HANG_MS);
      long took = System.currentTimeMillis() - t0;
      if (took > 1500) {
        System.out.println("slow case (" + took + " ms): " + c.name);
      }
      statuses.merge(r.status, 1, Integer::sum);
      String problem = judge(c, r);
      if (problem != null) {
        failures.add(c.name + ": " + problem + " :: " + r.toString().substring(0, Math.min(300, r.toString().length())));
      }
      if (i % 100 == 99 && RawHttp.send(port, HEALTH, HANG_MS).status != 200) {
        failures.add("after case " + i + " (" + c.name + ") the node is unhealthy");
      }
    }
    System.out.println(cases.size() + " generated cases in " + (System.currentTimeMillis() - started) + " ms, statuses "
      + statuses);
    assertTrue(failures.isEmpty(), failures.size() + " of " + cases.size() + " failed:\n"
      + String.join("\n", failures.subList(0, Math.min(60, failures.size()))));
    assertEquals(200, RawHttp.send(port, HEALTH, HANG_MS).status);
    Http.Response alive = strict.http.post(DISPATCH, "{\"still\":\"alive\"}");
    assertEquals(200, alive.status, alive.toString());
    assertEquals("alive", alive.json().getString("still"));
  }

  private static final long HANG_MS = 8_000;
  private static final byte[] HEALTH = "GET /v1/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    .getBytes(StandardCharsets.ISO_8859_1);

  /** Null when {@code r} is an acceptable answer to {@code c}; otherwise what is wrong with it. */
  private static String judge(HostileCases.Case c, RawHttp.Reply r) {
    if (r.status == 0) {
      return c.raw && r.closed ? null : r.closed ? "closed without an answer" : "no answer within " + HANG_MS + " ms (a hang)";
    }
    if (r.status == 501 && c.raw && r.head.matches("HTTP/(9\\.9|2\\.0) 501[^\r]*(\r\n[^\r]*)*")) {
      // An HTTP version Vert.x does not speak (9.9, the HTTP/2 preface): its codec answers 501 and closes, before
      // any handler of ours could see the request (Http1xServerRequestHandler).
      return null;
    }
    if (r.status >= 500 && r.status != 503 && r.status != 504) {
      return "status " + r.status;
    }
    if (c.refused && (r.status < 400 || r.status > 499)) {
      return "not refused";
    }
    String csp = r.header("Content-Security-Policy");
    if (csp == null || !csp.contains("frame-ancestors 'none'")) {
      return "no security headers";
    }
    if (r.status >= 400 && c.request[0] != 'H') {
      try {
        if (new JsonObject(r.body).getJsonObject("error").getInteger("code") != r.status) {
          return "error code differs from the status";
        }
      } catch (RuntimeException e) {
        return "not a JSON error";
      }
    }
    if (c.refused && !"close".equalsIgnoreCase(r.header("Connection"))) {
      return "refused but the connection stays open";
    }
    return null;
  }

  @Test
  void rawProtocolAbuseIsRefused() {
    int[] statuses = {
      live.http.raw("GET /v1/nodes HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n"),
      live.http.raw("POST " + DISPATCH + " HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n"
        + "Content-Type: application/json\r\n\r\n{}"),
      live.http.raw("BREW /v1/nodes HTTP/1.1\r\nHost: x\r\n\r\n"),
      live.http.raw("GARBAGE\r\n\r\n"),
    };
    for (int i = 0; i < statuses.length; i++) {
      assertTrue(statuses[i] == 0 || statuses[i] >= 400 && statuses[i] < 500, "case " + i + ": status " + statuses[i]);
    }
    // An HTTP version Vert.x does not speak is answered by Vert.x's HTTP codec itself, before any route:
    // 501 Not Implemented, and the connection is closed. Nothing reaches the gateway.
    int version = live.http.raw("GET /v1/nodes HTTP/9.9\r\nHost: x\r\n\r\n");
    assertTrue(version == 0 || version == 501, "status " + version);
    assertEquals(200, live.http.get("/v1/health").status);
  }
}
