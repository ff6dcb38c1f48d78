package dev.beach.bench;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each scenario once, a second or two of measuring with tiny parameters, so that none rots unnoticed: it must end
 * with its JSON line and every figure must be there and sane. The figures themselves mean nothing here.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ScenarioSmokeTest {

  @AfterEach
  void noProcessOutlivesItsScenario() {
    assertEquals(List.of(), ProcessHandle.current().children().map(p -> p.info().commandLine().orElse("?")).toList());
  }

  @Test
  void rpcMeasuresBeachTheRawBusAndTheTcpFloor() throws Exception {
    JsonObject line = Bench.line("rpc", List.of("--seconds", "0.4", "--rounds", "1", "--warmup", "0.2", "--inflight", "16"));
    assertEquals("rpc", line.getString("scenario"), line.encode());
    for (String path : List.of("beach", "raw", "tcp")) {
      positive(line, path + "_sync_per_s");
      positive(line, path + "_p50_us");
    }
    positive(line, "beach_pipelined_per_s");
    positive(line, "raw_pipelined_per_s");
    positive(line, "sync_ratio");
  }

  @Test
  void actorsDeploysEveryActorAndMeasuresTheHeap() throws Exception {
    JsonObject line = Bench.line("actors", List.of("--actors", "300", "--batch", "100", "--warmup", "50"));
    assertEquals(300, line.getInteger("actors"), line.encode());
    positive(line, "deploys_per_s");
    positive(line, "heap_used_mb");
    positive(line, "seconds");
    // A full ring holds node.logLines lines of node.logLineBytes: at least their text, and not wildly more.
    long ring = line.getLong("log_ring_full_bytes_per_actor");
    long text = (long) line.getInteger("log_lines") * line.getInteger("log_line_bytes");
    assertTrue(ring > text / 2 && ring < 3 * text, ring + " bytes per full ring of " + text + " bytes of text");
  }

  @Test
  void mapCountsTheItemsThatCrossedTheNetwork() throws Exception {
    JsonObject line = Bench.line("map", List.of("--items", "4000", "--chunk", "100", "--rounds", "1", "--warmup", "1"));
    assertEquals("map", line.getString("mode"), line.encode());
    assertEquals(4000, line.getLong("items"), line.encode());
    positive(line, "items_per_s");
    // Workers on both nodes, so both take chunks; each item ran exactly once.
    positive(line, "crossed_network");
    positive(line, "ran_in_driver_jvm");
    assertEquals(4000, line.getLong("crossed_network") + line.getLong("ran_in_driver_jvm"), line.encode());
  }

  @Test
  void mapFileStreamsEveryItemAndMeasuresTheLiveHeapOnce() throws Exception {
    JsonObject line = Bench.line("map", List.of("--file", "--items", "4000", "--chunk", "100", "--warmup", "0"));
    assertEquals("file", line.getString("mode"), line.encode());
    assertEquals(4000, line.getLong("items"), line.encode());
    positive(line, "heap_live_mb_half_way");
    assertTrue(line.getDouble("heap_live_mb_half_way") < line.getDouble("heap_max_mb"), line.encode());
    positive(line, "peak_items_held");
    assertEquals(4000, line.getLong("crossed_network") + line.getLong("ran_in_driver_jvm"), line.encode());
  }

  @Test
  void gatewayMeasuresEveryTargetWithMetricsOnAsBeachNodeRunsIt() throws Exception {
    JsonObject line = Bench.line("gateway", List.of("--connections", "4", "--rounds", "2", "--seconds", "0.3",
      "--warmup", "0.2", "--actors", "1"));
    long throughGateway = 0;
    for (String target : List.of("gateway", "gateway_remote", "handle", "bare")) {
      JsonObject f = line.getJsonObject(target);
      assertTrue(f != null && f.getLong("requests") > 0, target + ": " + line.encode());
      assertEquals(0L, f.getLong("failed"), target + ": " + f.encode());
      assertTrue(f.getDouble("p50_ms") > 0, f.encode());
      assertTrue(f.getDouble("p50_ms") <= f.getDouble("p90_ms") && f.getDouble("p90_ms") <= f.getDouble("p99_ms")
        && f.getDouble("p99_ms") <= f.getDouble("p999_ms") && f.getDouble("p999_ms") <= f.getDouble("max_ms"), f.encode());
      positive(f, "rps");
      positive(f, "server_cpu_us");
      positive(f, "client_cpu_us");
      throughGateway += target.startsWith("gateway") ? f.getLong("requests") : 0;
    }
    positive(line, "ratio");
    positive(line, "ratio_remote");
    assertTrue(line.getBoolean("metrics"), line.encode());
    // What ships meters every request: the gateway's own /metrics counted at least the measured ones.
    assertTrue(line.getLong("gateway_requests_metered") >= throughGateway, line.encode());
  }

  @Test
  void failoverKillsANodeHostingPartOfTheDeploymentAndTimesTheHeal() throws Exception {
    JsonObject line = Bench.line("failover", List.of("--kills", "1", "--instances", "2", "--clients", "1",
      "--settle", "0"));
    assertEquals(1, line.getInteger("kills"), line.encode());
    assertEquals(1, line.getJsonArray("per_kill").size(), line.encode());
    positive(line, "requests");
    for (String figure : List.of("left", "back", "answering")) {
      positive(line, figure + "_p50_ms");
      assertTrue(line.getLong(figure + "_p50_ms") <= line.getLong(figure + "_max_ms"), line.encode());
    }
    // Each step follows the one before: the node is gone, its actors are back, then they answer.
    assertTrue(line.getLong("back_max_ms") <= line.getLong("answering_max_ms"), line.encode());
    assertTrue(line.getLong("failed") >= 0 && line.getLong("failed") <= line.getLong("requests"), line.encode());
    assertTrue(line.getLong("outlived_deadline") >= 0, line.encode());
    assertEquals(line.getLong("failed"), line.getJsonObject("failed_by_status").stream()
      .mapToLong(e -> ((Number) e.getValue()).longValue()).sum(), line.encode());
  }

  private static void positive(JsonObject json, String field) {
    Object v = json.getValue(field);
    assertTrue(v instanceof Number && ((Number) v).doubleValue() > 0, field + " should be a positive number: " + json.encode());
  }
}
