package dev.beach.bench;

import dev.beach.gateway.bench.GatewayBench;
import io.vertx.core.json.JsonObject;

import java.util.List;

/** HTTP dispatch through the gateway to an echo actor vs a bare vertx-web route, in the same run. */
public final class GatewayScenario implements Scenario {

  @Override
  public String name() {
    return "gateway";
  }

  @Override
  public String description() {
    return "HTTP dispatch via the gateway vs a bare vertx-web route (target ratio >= 0.6)";
  }

  @Override
  public JsonObject run(List<String> args) throws Exception {
    return GatewayBench.run(args);
  }
}
