package dev.beach.launcher;

import dev.beach.launcher.impl.Ports;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A real {@code beach node} with {@code BEACH_TRACING_ENABLED=true} and the SDK's logging exporter (the launcher's
 * default): a request through its gateway shows up in its output as a client span and, in the same trace, the
 * echo actor's server span.
 */
class TracingProcessIT {

  private static final Duration START = Duration.ofSeconds(90);
  private static final String HOST = "127.0.0.1";

  @TempDir
  Path dir;

  private BeachProcess node;

  @AfterEach
  void stop() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void aTracedNodePrintsItsSpansThroughTheLoggingExporter() throws Exception {
    node = BeachProcess.node("traced", dir, Map.of("BEACH_TRACING_ENABLED", "true", "OTEL_TRACES_EXPORTER", "logging"),
      "--host", HOST, "--port", Integer.toString(Ports.anyFree(HOST)), "--gateway-port", "0");
    node.awaitUp(START);
    assertEquals(new JsonObject().put("x", 1),
      Http.post(node.gatewayUrl() + "/v1/realms/global/categories/echo/echo", new JsonObject().put("x", 1)).json());
    Matcher server = node.awaitLine(Pattern.compile("'handle echo' : ([0-9a-f]{32}) [0-9a-f]{16} SERVER"),
      Duration.ofSeconds(20));
    node.awaitLine(Pattern.compile("'request echo' : " + server.group(1) + " [0-9a-f]{16} CLIENT"),
      Duration.ofSeconds(20));
  }
}
