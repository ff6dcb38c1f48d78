package dev.beach.gateway;

import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.Test;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code /metrics}: Prometheus text, JVM meters always, event-bus meters aggregated by realm/category. */
class MetricsTest {

  @Test
  void withoutVertxMetricsTheJvmMetersStillAnswer() {
    try (LiveNode live = LiveNode.start()) {
      Http.Response r = live.http.get("/metrics");
      assertEquals(200, r.status);
      assertTrue(r.body.contains("jvm_memory_used_bytes"), "no JVM meters");
      assertTrue(r.body.contains("process_uptime_seconds"), "no process meters");
    }
  }

  @Test
  void eventBusAddressesAreAggregatedSoActorsDoNotBecomeSeries() {
    try (LiveNode live = LiveNode.start(new GatewayOptions(), new VertxOptions().setMetricsOptions(GatewayMetrics.options()))) {
      live.deploy("metered", TestActors.Echo.class, "echo", 20);
      for (int i = 0; i < 40; i++) {
        assertEquals(200, live.http.post("/v1/realms/metered/categories/echo/echo", "{}").status);
      }
      String body = live.http.get("/metrics").body;
      assertTrue(body.contains("vertx_eventbus_handlers"), "no event-bus meters: Vert.x metrics are off");
      assertTrue(body.contains("vertx_http_server_requests_total"), "no HTTP server meters");
      // No actor id may appear as a label value: 20 actors must not be 20 series.
      Matcher m = Pattern.compile("address=\"([^\"]*)\"").matcher(body);
      int addresses = 0;
      while (m.find()) {
        addresses++;
        String address = m.group(1);
        assertFalse(address.matches(".*@[A-Za-z0-9_-]+") && !address.endsWith("@*"), "actor address as a label: " + address);
        assertFalse(address.contains(live.node.id()), "node address as a label: " + address);
      }
      assertTrue(addresses > 0, "no address labels at all");
    }
  }
}
