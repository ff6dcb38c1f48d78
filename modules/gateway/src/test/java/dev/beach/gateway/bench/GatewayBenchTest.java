package dev.beach.gateway.bench;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A one-second run of {@code beach bench gateway}: every target answers, the figures are all there. */
class GatewayBenchTest {

  @Test
  void aShortRunReportsBothTargetsAndTheRatio() throws Exception {
    JsonObject r = GatewayBench.run(List.of("--connections", "4", "--rounds", "1", "--seconds", "1", "--warmup", "1"));
    for (String target : List.of("gateway", "bare", "handle")) {
      JsonObject f = r.getJsonObject(target);
      assertTrue(f.getLong("requests") > 0, target + ": " + f.encode());
      assertEquals(0L, f.getLong("failed"), target + ": " + f.encode());
      assertTrue(f.getDouble("p99ms") >= f.getDouble("p50ms"), f.encode());
    }
    assertTrue(r.getDouble("ratio") > 0, r.encode());
  }
}
