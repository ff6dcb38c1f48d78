package dev.beach.launcher;

import dev.beach.launcher.impl.Ports;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A real {@code beach node} with {@code BEACH_TRACING_ENABLED=true}: with the SDK's logging exporter (the launcher's
 * default), a request through its gateway shows up in its output as a client span and, in the same trace, the echo
 * actor's server span; with {@code OTEL_EXPORTER_OTLP_ENDPOINT} set, the spans reach an OTLP/HTTP receiver (a tiny
 * one in the test), which proves the OTLP exporter is in the jar and wired.
 */
class TracingProcessIT {

  private static final Duration START = Duration.ofSeconds(90);
  private static final String HOST = "127.0.0.1";

  @TempDir
  Path dir;

  private BeachProcess node;

  private Vertx vertx;

  @AfterEach
  void stop() {
    if (node != null) {
      node.close();
    }
    if (vertx != null) {
      vertx.close().await();
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

  @Test
  void anOtlpEndpointInTheEnvironmentSendsTheSpansThere() throws Exception {
    vertx = Vertx.vertx();
    List<Buffer> exports = new CopyOnWriteArrayList<>();
    List<String> refused = new CopyOnWriteArrayList<>();
    HttpServer receiver = vertx.createHttpServer().requestHandler(req -> {
      // What a collector's otlp receiver accepts on its HTTP port: protobuf ExportTraceServiceRequests.
      if (req.method() != HttpMethod.POST || !"/v1/traces".equals(req.path())
        || !"application/x-protobuf".equals(req.getHeader("Content-Type"))) {
        refused.add(req.method() + " " + req.path() + " " + req.getHeader("Content-Type"));
        req.response().setStatusCode(404).end();
        return;
      }
      req.body().onSuccess(body -> {
        exports.add(body);
        req.response().putHeader("Content-Type", "application/x-protobuf").end();
      });
    }).listen(0, HOST).await();
    node = BeachProcess.node("otlp", dir, Map.of("BEACH_TRACING_ENABLED", "true",
        "OTEL_EXPORTER_OTLP_ENDPOINT", "http://" + HOST + ":" + receiver.actualPort(),
        // The batch processor's delay: spans leave within 200 ms instead of 5 s.
        "OTEL_BSP_SCHEDULE_DELAY", "200"),
      "--host", HOST, "--port", Integer.toString(Ports.anyFree(HOST)), "--gateway-port", "0");
    node.awaitUp(START);
    HttpResponse<String> reply = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(node.gatewayUrl() + "/v1/realms/global/categories/echo/echo"))
      .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"x\":1}"))
      .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, reply.statusCode(), reply.body());
    String traceparent = reply.headers().firstValue("traceparent").orElseThrow(
      () -> new AssertionError("no traceparent in the gateway's response: " + reply.headers().map()));
    byte[] traceId = HexFormat.of().parseHex(traceparent.split("-")[1]);
    byte[] httpSpan = "POST /v1/realms/{realm}/categories/{category}/{op}".getBytes(StandardCharsets.UTF_8);
    byte[] handleSpan = "handle echo".getBytes(StandardCharsets.UTF_8);
    // The trace id travels as its 16 raw bytes in the protobuf, the span names as UTF-8.
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      Buffer all = Buffer.buffer();
      exports.forEach(all::appendBuffer);
      byte[] bytes = all.getBytes();
      if (contains(bytes, traceId) && contains(bytes, httpSpan) && contains(bytes, handleSpan)) {
        break;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the request's spans (trace " + traceparent + ") did not reach the OTLP receiver in 30 s: "
          + exports.size() + " exports, " + all.length() + " bytes; refused: " + refused);
      }
      Thread.sleep(50);
    }
    assertEquals(List.of(), refused);
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
