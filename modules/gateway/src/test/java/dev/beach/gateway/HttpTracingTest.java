package dev.beach.gateway;

import dev.beach.Actor;
import dev.beach.ActorSpec;
import dev.beach.BeachNode;
import dev.beach.ClusterOptions;
import dev.beach.NodeOptions;
import dev.beach.Placement;
import dev.beach.spi.ClusterSupport;
import dev.beach.spi.TraceSupport;
import dev.beach.testkit.Await;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway's HTTP server span on two in-JVM nodes: a request into node A's gateway, to an actor on node B that
 * calls an actor on A, is one trace that continues the caller's {@code traceparent}, parented hop by hop from the
 * HTTP span down, and the response names the HTTP span; a job started over HTTP is the HTTP span's child.
 */
class HttpTracingTest {

  private static final String REALM = "traced";
  private static final String DISPATCH = "POST /v1/realms/{realm}/categories/{category}/{op}";
  private static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
  private static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
  private static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
  /** A caller's trace, as an external service would send it. */
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String CALLER_SPAN = "00f067aa0ba902b7";

  private final List<BeachNode> nodes = new ArrayList<>();
  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private OpenTelemetrySdk sdk;
  private Gateway gateway;
  private Http http;

  /** Calls, from its handler, the category and op its request names, and answers what that answered. */
  public static class Hop extends Actor {
    @Override
    public Future<?> start() {
      on("hop", req -> handle(req.json().getString("target")).request(req.json().getString("op"), null)
        .onComplete(ar -> {
          if (ar.succeeded()) {
            req.reply(ar.result());
          } else {
            req.fail(ar.cause());
          }
        }));
      return super.start();
    }
  }

  @AfterEach
  void tearDown() {
    if (gateway != null) {
      Await.result(gateway.close());
    }
    for (BeachNode n : nodes) {
      Await.result(n.close());
    }
    if (sdk != null) {
      sdk.close();
    }
    GlobalOpenTelemetry.resetForTest();
  }

  /** Nodes A (with the gateway and two echo actors) and B (with the hop actor). */
  private void startTwo(boolean tracing) {
    GlobalOpenTelemetry.resetForTest();
    sdk = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
      .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build()).buildAndRegisterGlobal();
    int p1 = ClusterSupport.freePort();
    int p2 = ClusterSupport.freePort();
    List<String> seeds = List.of("127.0.0.1:" + p1, "127.0.0.1:" + p2);
    for (int port : new int[]{p1, p2}) {
      nodes.add(Await.result(BeachNode.clustered(new NodeOptions().setTracingEnabled(tracing)
        .setStatsIntervalMs(200).setDirectorySyncMs(1000)
        .setCluster(new ClusterOptions().setHost("127.0.0.1").setPort(port).setSeeds(seeds)))));
    }
    BeachNode a = nodes.get(0);
    BeachNode b = nodes.get(1);
    deploy(a, TestActors.Echo.class, "echo", a);
    deploy(a, Hop.class, "hop", b);
    Await.until("A to see both actors", Duration.ofSeconds(30),
      () -> Await.result(a.beach().actors(REALM, "echo")).size() == 1
        && Await.result(a.beach().actors(REALM, "hop")).size() == 1);
    Await.until("B to see the echo actor", Duration.ofSeconds(30),
      () -> Await.result(b.beach().actors(REALM, "echo")).size() == 1);
    gateway = Await.result(Gateway.start(a, new GatewayOptions().setPort(0)));
    http = new Http("http://127.0.0.1:" + gateway.port());
    exporter.reset();
  }

  private static void deploy(BeachNode from, Class<? extends Actor> type, String category, BeachNode on) {
    Await.result(from.beach().deploy(ActorSpec.of(REALM, type, category).setPlacement(Placement.nodeId(on.id()))));
  }

  private Http.Response hop(String op, String... headers) {
    return http.send("POST", "/v1/realms/" + REALM + "/categories/hop/hop",
      new JsonObject().put("target", "echo").put("op", op).encode().getBytes(java.nio.charset.StandardCharsets.UTF_8),
      null, headers);
  }

  private List<SpanData> awaitSpans(int n) {
    Await.until(n + " spans", Duration.ofSeconds(10), () -> exporter.getFinishedSpanItems().size() >= n);
    List<SpanData> all = exporter.getFinishedSpanItems();
    assertEquals(n, all.size(), () -> all.stream().map(SpanData::getName).collect(Collectors.toList()).toString());
    return all;
  }

  private SpanData one(String name, SpanData parent) {
    List<SpanData> found = exporter.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)
      && s.getParentSpanId().equals(parent.getSpanId())).collect(Collectors.toList());
    assertEquals(1, found.size(), "one span '" + name + "' under " + parent.getName() + " in "
      + exporter.getFinishedSpanItems());
    return found.get(0);
  }

  private static SpanData named(List<SpanData> spans, String name) {
    return spans.stream().filter(s -> s.getName().equals(name)).findFirst()
      .orElseThrow(() -> new AssertionError("no span " + name + " in " + spans));
  }

  @Test
  void aRequestThroughTheGatewayAndTwoNodesIsOneTraceThatContinuesTheCallers() {
    startTwo(true);
    BeachNode a = nodes.get(0);
    BeachNode b = nodes.get(1);
    Http.Response r = hop("whoami", "traceparent", "00-" + TRACE_ID + "-" + CALLER_SPAN + "-01");
    assertEquals(200, r.status, r.body);

    List<SpanData> all = awaitSpans(5);
    SpanData server = named(all, DISPATCH);
    assertEquals(SpanKind.SERVER, server.getKind());
    assertEquals(TRACE_ID, server.getTraceId(), "the caller's trace goes on");
    assertEquals(CALLER_SPAN, server.getParentSpanId());
    assertEquals("/v1/realms/{realm}/categories/{category}/{op}", server.getAttributes().get(ROUTE),
      "the route's template, never the path with its names");
    assertEquals("POST", server.getAttributes().get(METHOD));
    assertEquals(200L, server.getAttributes().get(STATUS));
    assertEquals(REALM, server.getAttributes().get(TraceSupport.REALM));
    assertEquals("hop", server.getAttributes().get(TraceSupport.CATEGORY));
    assertEquals("hop", server.getAttributes().get(TraceSupport.OP));
    assertEquals("00-" + TRACE_ID + "-" + server.getSpanId() + "-01", r.header("traceparent"),
      "the response names the server span");

    SpanData callHop = one("request hop", server);
    assertEquals(b.id(), callHop.getAttributes().get(TraceSupport.NODE), "a call from A to the actor on B");
    SpanData handleHop = one("handle hop", callHop);
    assertEquals(b.id(), handleHop.getAttributes().get(TraceSupport.NODE), "handled on B");
    SpanData handleEcho = one("handle whoami", one("request whoami", handleHop));
    assertEquals(a.id(), handleEcho.getAttributes().get(TraceSupport.NODE), "and back on A");
    for (SpanData s : all) {
      assertEquals(TRACE_ID, s.getTraceId(), s.getName());
    }
  }

  @Test
  void errorsMarkTheSpansAndABadTraceparentStartsANewTrace() {
    startTwo(true);
    // A 4xx is the caller's fault: the HTTP span records the status but is not an error; the actor spans are.
    Http.Response conflict = hop("fail", "traceparent", "not-a-traceparent");
    assertEquals(409, conflict.status, conflict.body);
    List<SpanData> all = awaitSpans(5);
    SpanData server = named(all, DISPATCH);
    assertEquals(409L, server.getAttributes().get(STATUS));
    assertEquals(StatusCode.UNSET, server.getStatus().getStatusCode());
    assertNotEquals(TRACE_ID, server.getTraceId());
    assertEquals("0000000000000000", server.getParentSpanId(), "a malformed traceparent is ignored: a new trace");
    for (String name : List.of("request hop", "handle hop", "request fail", "handle fail")) {
      assertEquals(StatusCode.ERROR, named(all, name).getStatus().getStatusCode(), name);
    }

    // A 5xx is the server's: the HTTP span is an error too.
    exporter.reset();
    Http.Response boom = hop("boom");
    assertEquals(500, boom.status, boom.body);
    server = named(awaitSpans(5), DISPATCH);
    assertEquals(StatusCode.ERROR, server.getStatus().getStatusCode());
    assertEquals("500", server.getAttributes().get(AttributeKey.stringKey("error.type")));
    assertTrue(boom.header("traceparent").contains(server.getTraceId()));
  }

  @Test
  void aJobStartedOverHttpIsTheRequestsChild() {
    startTwo(true);
    Http.Response r = http.post("/v1/realms/" + REALM + "/jobs", new JsonObject().put("category", "echo")
      .put("op", "echo").put("inputs", new io.vertx.core.json.JsonArray().add(1).add(2).add(3)).encode());
    assertEquals(202, r.status, r.body);
    Await.until("the job's span", Duration.ofSeconds(10), () -> exporter.getFinishedSpanItems().stream()
      .anyMatch(s -> s.getName().equals("job echo")));
    SpanData server = named(exporter.getFinishedSpanItems(), "POST /v1/realms/{realm}/jobs");
    SpanData job = one("job echo", server);
    assertEquals(REALM, job.getAttributes().get(TraceSupport.REALM));
    assertTrue(r.header("traceparent").contains(job.getTraceId()));
  }

  @Test
  void offMakesNoSpanAndNoHeader() {
    startTwo(false);
    Http.Response r = hop("whoami", "traceparent", "00-" + TRACE_ID + "-" + CALLER_SPAN + "-01");
    assertEquals(200, r.status, r.body);
    assertNull(r.header("traceparent"));
    assertEquals(List.of(), exporter.getFinishedSpanItems());
  }
}
