package dev.beach.gateway;

import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway's HTTP server meters ({@code GatewayMetrics.factory()}): each request counted once under its route,
 * method and code, with its time and sizes; bounded labels; nothing left "active" once answered.
 */
class HttpMetersTest {

  private static final String ROUTE = "POST /v1/realms/:realm/categories/:category/:op";
  private static final String OUTCOME = "code=\"200\",method=\"POST\",route=\"" + ROUTE + "\"";
  private static LiveNode live;

  @BeforeAll
  static void start() {
    live = LiveNode.start(new GatewayOptions(), new VertxOptions().setMetricsOptions(GatewayMetrics.options()));
    live.deploy("metered", TestActors.Echo.class, "echo", 2);
  }

  @AfterAll
  static void stop() {
    live.close();
  }

  @Test
  void eachAnswerIsCountedUnderItsRouteMethodAndCodeWithItsTimeAndSizes() {
    String body = "{\"pad\":\"" + "x".repeat(100) + "\"}";
    double before = value(live.http.get("/metrics").body, "vertx_http_server_requests_total", OUTCOME, 0);
    double bytesBefore = value(live.http.get("/metrics").body, "vertx_http_server_response_bytes_sum", OUTCOME, 0);
    long answered = 0;
    for (int i = 0; i < 3; i++) {
      Http.Response r = live.http.post("/v1/realms/metered/categories/echo/echo", body);
      assertEquals(200, r.status);
      answered += r.body.length();
    }
    String metrics = live.http.get("/metrics").body;
    assertEquals(before + 3, value(metrics, "vertx_http_server_requests_total", OUTCOME, -1), metrics);
    assertEquals(before + 3, value(metrics, "vertx_http_server_response_time_seconds_count", OUTCOME, -1));
    assertTrue(value(metrics, "vertx_http_server_response_time_seconds_sum", OUTCOME, -1) > 0);
    assertEquals(bytesBefore + answered, value(metrics, "vertx_http_server_response_bytes_sum", OUTCOME, -1));
    assertTrue(value(metrics, "vertx_http_server_request_bytes_sum", "method=\"POST\"", -1) >= 3 * body.length());
    assertEquals(0, value(metrics, "vertx_http_server_active_requests", "method=\"POST\"", -1), "answered, not active");
    assertEquals(1, value(metrics, "vertx_http_server_active_requests", "method=\"GET\"", -1), "the /metrics request");
    assertTrue(value(metrics, "vertx_http_server_active_connections", null, -1) >= 1);
    assertTrue(value(metrics, "vertx_http_server_bytes_read_total", null, -1) >= 3 * body.length());
  }

  @Test
  void unmatchedPathsAndUnknownMethodsKeepTheLabelsBounded() {
    for (int i = 0; i < 3; i++) {
      assertEquals(404, live.http.get("/no/such/path/" + i).status);
      assertTrue(live.http.send("FOO" + i, "/v1/realms", null, null).status >= 400);
    }
    String metrics = live.http.get("/metrics").body;
    // Unmatched paths count under the route that answered them (the dashboard's), never under their own path.
    assertTrue(metrics.contains("vertx_http_server_requests_total{code=\"404\",method=\"GET\",route=\""), metrics);
    assertTrue(metrics.contains("method=\"OTHER\""), "unknown methods as OTHER");
    assertFalse(metrics.contains("FOO"), "a client's method name is no label");
    assertFalse(metrics.contains("/no/such/path"), "a client's path is no label");
  }

  /** The value of {@code name{labels}} (or {@code name} without labels), or {@code absent} when there is none. */
  private static double value(String metrics, String name, String labels, double absent) {
    String series = labels == null ? name : name + "{" + labels + "}";
    Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(metrics);
    if (!m.find()) {
      assertNotNull(absent >= 0 ? "" : null, series + " is not exposed:\n" + metrics);
      return absent;
    }
    return Double.parseDouble(m.group(1));
  }
}
