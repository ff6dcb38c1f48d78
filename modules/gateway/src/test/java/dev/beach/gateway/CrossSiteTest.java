package dev.beach.gateway;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a web page the developer happens to visit can do to a gateway on their machine (the open, loopback
 * default): nothing that changes state, whether it posts a form, calls fetch from its own origin, or rebinds its
 * DNS name to 127.0.0.1. And every answer carries the headers that keep the dashboard out of frames and sniffing.
 */
class CrossSiteTest {

  private static final String EVIL = "https://evil.example";
  private static final String ECHO = TestActors.Echo.class.getName();
  private static LiveNode live;
  private static LiveNode withOrigins;

  @BeforeAll
  static void start() {
    live = LiveNode.start();
    live.deploy("test", TestActors.Echo.class, "echo", 2);
    withOrigins = LiveNode.start(new GatewayOptions().setAllowedOrigins(List.of("https://ops.example"))
      .setAllowedHosts(List.of("beach.example")));
  }

  @AfterAll
  static void stop() {
    live.close();
    withOrigins.close();
  }

  private static int actors() {
    return live.http.get("/v1/realms/test/actors").array().size();
  }

  /** The state-changing routes a page would aim at, each with a body it would send. */
  private static List<String[]> attacks() {
    List<String[]> a = new ArrayList<>();
    a.add(new String[] {"POST", "/v1/admin/shutdown?node=all&confirm=true", ""});
    a.add(new String[] {"POST", "/v1/admin/flush?confirm=true", ""});
    a.add(new String[] {"PUT", "/v1/realms/test/code/Evil.java", "class Evil {}"});
    a.add(new String[] {"POST", "/v1/realms/test/actors", "{\"class\":\"" + ECHO + "\",\"categories\":[\"evil\"]}"});
    a.add(new String[] {"POST", "/v1/realms/test/categories/echo/echo", "{}"});
    a.add(new String[] {"POST", "/v1/realms/test/restart", ""});
    a.add(new String[] {"DELETE", "/v1/realms/test/actors?category=echo", ""});
    return a;
  }

  @Test
  void aPageOnAnotherOriginCannotShutDownFlushPushOrDeploy() {
    int before = actors();
    List<String> failures = new ArrayList<>();
    for (String[] a : attacks()) {
      byte[] body = a[2].getBytes(StandardCharsets.UTF_8);
      // fetch() from the page's own origin, with the JSON type (a browser would preflight it; we answer the
      // request itself anyway, as if the browser did not).
      Http.Response r = live.http.send(a[0], a[1], body, "application/json", "Origin", EVIL);
      if (r.status != 403 || !r.error().getString("message").contains("gateway.allowedOrigins")) {
        failures.add("Origin " + EVIL + " " + a[0] + " " + a[1] + ": " + r);
      }
      // Origin: null is what sandboxed frames and file:// pages send.
      r = live.http.send(a[0], a[1], body, "application/json", "Origin", "null");
      if (r.status != 403) {
        failures.add("Origin null " + a[0] + " " + a[1] + ": " + r);
      }
      // A browser that leaves Origin out still says where the request comes from in Fetch metadata.
      r = live.http.send(a[0], a[1], body, "application/json", "Sec-Fetch-Site", "cross-site");
      if (r.status != 403) {
        failures.add("Sec-Fetch-Site " + a[0] + " " + a[1] + ": " + r);
      }
    }
    assertTrue(failures.isEmpty(), String.join("\n", failures));
    assertEquals(before, actors(), "nothing was stopped, flushed or deployed");
    assertEquals(404, live.http.get("/v1/realms/test/code/Evil.java").status, "nothing was pushed");
  }

  @Test
  void whatAFormOrAnUnpreflightedFetchCanSendIsRefusedEvenWithoutOrigin() {
    int before = actors();
    List<String> failures = new ArrayList<>();
    for (String[] a : attacks()) {
      if (a[0].equals("DELETE") || a[0].equals("PUT")) {
        continue; // browsers always preflight these methods across origins
      }
      byte[] body = a[2].getBytes(StandardCharsets.UTF_8);
      for (String type : new String[] {"application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/plain"}) {
        Http.Response r = live.http.send(a[0], a[1], body, type);
        if (r.status != 415) {
          failures.add(type + " " + a[0] + " " + a[1] + ": " + r);
        }
      }
      Http.Response r = live.http.sendWithoutType(a[0], a[1], body);
      if (r.status != 415 || !r.error().getString("message").contains("has no Content-Type")) {
        failures.add("no type " + a[0] + " " + a[1] + ": " + r);
      }
    }
    assertTrue(failures.isEmpty(), String.join("\n", failures));
    assertEquals(before, actors());
  }

  @Test
  void theDashboardsOwnOriginMayChangeState() {
    String self = live.http.base();
    Http.Response r = live.http.send("POST", "/v1/realms/test/categories/echo/echo", "{\"a\":1}".getBytes(StandardCharsets.UTF_8),
      "application/json", "Origin", self, "Sec-Fetch-Site", "same-origin");
    assertEquals(200, r.status, r.toString());
    assertNull(r.header("access-control-allow-origin"), "no CORS answer without gateway.allowedOrigins");
    // Reading across origins is left to the browser: it gets no CORS header, so the page cannot read the answer.
    Http.Response read = live.http.send("GET", "/v1/nodes", null, null, "Origin", EVIL);
    assertEquals(200, read.status);
    assertNull(read.header("access-control-allow-origin"));
  }

  @Test
  void dnsRebindingHostIsRefused() throws Exception {
    int port = live.gateway.port();
    for (String path : new String[] {"/v1/nodes", "/", "/v1/health"}) {
      RawHttp.Reply r = RawHttp.exchange(port, "GET " + path + " HTTP/1.1\r\nHost: evil.example:" + port
        + "\r\nConnection: close\r\n\r\n");
      assertEquals(403, r.status, r.toString());
      assertTrue(r.body.contains("not a name of this gateway") && r.body.contains("gateway.allowedHosts"), r.toString());
    }
    RawHttp.Reply post = RawHttp.exchange(port, "POST /v1/admin/flush?confirm=true HTTP/1.1\r\nHost: evil.example\r\n"
      + "Origin: http://evil.example\r\nContent-Type: application/json\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    assertEquals(403, post.status, post.toString());
    for (String host : new String[] {"127.0.0.1:" + port, "localhost:" + port, "localhost", "[::1]:" + port,
      "dashboard.localhost:" + port, "127.1.2.3", "LOCALHOST."}) {
      RawHttp.Reply r = RawHttp.exchange(port, "GET /v1/health HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
      assertEquals(200, r.status, host + ": " + r);
    }
    for (String host : new String[] {"127.0.0.1.evil.example", "localhost.evil.example", "[::1", "a b", "x:y", "127.0.0.1:99999"}) {
      RawHttp.Reply r = RawHttp.exchange(port, "GET /v1/health HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
      assertTrue(r.status == 400 || r.status == 403, host + ": " + r);
    }
    RawHttp.Reply none = RawHttp.exchange(port, "GET /v1/health HTTP/1.1\r\nConnection: close\r\n\r\n");
    assertEquals(400, none.status, none.toString());
    RawHttp.Reply two = RawHttp.exchange(port, "GET /v1/health HTTP/1.1\r\nHost: localhost\r\nHost: evil.example\r\n"
      + "Connection: close\r\n\r\n");
    assertEquals(400, two.status, two.toString());
  }

  @Test
  void configuredHostsAndOriginsAreAccepted() throws Exception {
    int port = withOrigins.gateway.port();
    RawHttp.Reply named = RawHttp.exchange(port, "GET /v1/health HTTP/1.1\r\nHost: beach.example\r\nConnection: close\r\n\r\n");
    assertEquals(200, named.status, named.toString());
    RawHttp.Reply preflight = RawHttp.exchange(port, "OPTIONS /v1/realms/global/actors HTTP/1.1\r\nHost: beach.example\r\n"
      + "Origin: https://ops.example\r\nAccess-Control-Request-Method: POST\r\n"
      + "Access-Control-Request-Headers: authorization, content-type\r\nConnection: close\r\n\r\n");
    assertEquals(204, preflight.status, preflight.toString());
    assertEquals("https://ops.example", preflight.header("Access-Control-Allow-Origin"));
    assertTrue(preflight.header("Access-Control-Allow-Headers").contains("Authorization"), preflight.toString());
    Http.Response r = withOrigins.http.send("POST", "/v1/realms/global/restart", null, "application/json",
      "Origin", "https://ops.example");
    assertEquals(200, r.status, r.toString());
    assertEquals("https://ops.example", r.header("access-control-allow-origin"));
    assertEquals(403, withOrigins.http.send("POST", "/v1/realms/global/restart", null, "application/json",
      "Origin", "https://ops.example.evil.example").status);
    RawHttp.Reply other = RawHttp.exchange(port, "OPTIONS /v1/realms/global/actors HTTP/1.1\r\nHost: beach.example\r\n"
      + "Origin: " + EVIL + "\r\nAccess-Control-Request-Method: POST\r\nConnection: close\r\n\r\n");
    assertNull(other.header("Access-Control-Allow-Origin"), other.toString());
  }

  @Test
  void securityHeadersAreOnEveryAnswer() throws Exception {
    int port = live.gateway.port();
    List<RawHttp.Reply> replies = new ArrayList<>();
    for (String request : new String[] {
      "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",                  // the dashboard
      "GET /js/app.js HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",          // a module
      "GET /v1/nodes HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",          // JSON
      "GET /v1/nope HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",           // 404
      "DELETE /v1/nodes HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",       // 405
      "GET /v1/%zz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",            // front door 400
      "GET /v1/nodes HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n",       // front door 403
      "GARBAGE\r\n\r\n",                                                                  // codec 400
      "GET /" + "a".repeat(9000) + " HTTP/1.1\r\nHost: localhost\r\n\r\n",                // codec 414
    }) {
      replies.add(RawHttp.exchange(port, request));
    }
    for (RawHttp.Reply r : replies) {
      assertTrue(r.status > 0, r.toString());
      String csp = r.header("Content-Security-Policy");
      assertTrue(csp != null && csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'"), r.toString());
      assertEquals("nosniff", r.header("X-Content-Type-Options"), r.toString());
      assertEquals("no-referrer", r.header("Referrer-Policy"), r.toString());
      assertEquals("DENY", r.header("X-Frame-Options"), r.toString());
    }
    assertEquals(List.of(200, 200, 200, 404, 405, 400, 403, 400, 414), replies.stream().map(r -> r.status).toList());
  }
}
