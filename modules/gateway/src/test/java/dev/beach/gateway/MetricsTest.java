package dev.beach.gateway;

import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

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
      // Renamed so promtool accepts them, not dropped.
      assertTrue(r.body.contains("process_cpu_seconds_total"), "no process CPU time");
      assertTrue(r.body.contains("system_cpu_cores"), "no CPU count");
      assertFalse(r.body.contains("process_cpu_time_ns_total") || r.body.contains("system_cpu_count"), r.body);
    }
  }

  /**
   * {@code promtool check metrics} (Prometheus' own linter) accepts the whole exposition, Vert.x meters included.
   * Skipped with a message where promtool is not installed; {@code .ci/run} installs it (Debian's prometheus).
   */
  @Test
  void promtoolAcceptsTheExposition() throws Exception {
    Path promtool = promtool();
    Assumptions.assumeTrue(promtool != null, "promtool is not installed (apt-get install prometheus): not checked");
    try (LiveNode live = LiveNode.start(new GatewayOptions(), new VertxOptions().setMetricsOptions(GatewayMetrics.options()))) {
      live.deploy("metered", TestActors.Echo.class, "echo", 2);
      assertEquals(200, live.http.post("/v1/realms/metered/categories/echo/echo", "{}").status);
      String body = live.http.get("/metrics").body;
      Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
      try (OutputStream in = p.getOutputStream()) {
        in.write(body.getBytes(StandardCharsets.UTF_8));
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "promtool did not finish");
      assertEquals(0, p.exitValue(), "promtool check metrics:\n" + out);
      assertTrue(out.isBlank(), "promtool check metrics:\n" + out);
    }
  }

  private static Path promtool() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(dir, "promtool");
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
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
