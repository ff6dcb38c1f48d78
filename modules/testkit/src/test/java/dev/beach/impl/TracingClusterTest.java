package dev.beach.impl;

import dev.beach.Actor;
import dev.beach.ActorSpec;
import dev.beach.BeachNode;
import dev.beach.ClusterOptions;
import dev.beach.ErrorCode;
import dev.beach.LogLine;
import dev.beach.LogQuery;
import dev.beach.NodeOptions;
import dev.beach.Placement;
import dev.beach.behaviour.TestActors;
import dev.beach.impl.trace.OtelTracing;
import dev.beach.spi.ClusterSupport;
import dev.beach.testkit.Await;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import dev.beach.impl.transport.NodeLinks;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One trace across two nodes: a call from node A to an actor on node B, which calls actors back on A, gives
 * client and server spans parented hop by hop, over node links and over the event bus (links off).
 */
class TracingClusterTest {

  private static final String REALM = "traced";
  private final List<BeachNode> nodes = new ArrayList<>();
  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private OpenTelemetrySdk sdk;
  private boolean links;
  /** The loop on node A that calls: links are per event loop, so the calls come from one. */
  private Context caller;

  /** Calls, from inside its handler, the category and op its request names: one hop further in the trace. */
  public static class Hop extends Actor {
    @Override
    public Future<?> start() {
      on("hop", req -> {
        log().info("hopping to {}", req.json().getString("target"));
        hop(req);
      });
      on("hopAll", req -> handle(req.json().getString("target")).requestAll("whoami", null)
        .onComplete(ar -> req.reply(new JsonObject().put("replies", ar.result().size()))));
      return super.start();
    }

    private void hop(dev.beach.Request req) {
      handle(req.json().getString("target")).request(req.json().getString("op"), null)
        .onComplete(ar -> {
          if (ar.succeeded()) {
            req.reply(ar.result());
          } else {
            req.fail(ar.cause());
          }
        });
    }
  }

  /** Calls on from its handler's callbacks: after another call's reply, and from a timer the handler set. */
  public static class Later extends Actor {
    @Override
    public Future<?> start() {
      on("afterReply", req -> handle("echo").request("whoami", null)
        .compose(first -> handle("echo").request("whoami", null))
        .onComplete(ar -> req.reply(ar.succeeded())));
      on("afterTimer", req -> after(5, t -> {
        log().info("the timer fired");
        handle("echo").request("whoami", null).onComplete(ar -> req.reply(ar.succeeded()));
      }));
      return super.start();
    }
  }

  @AfterEach
  void tearDown() {
    for (BeachNode n : nodes) {
      Await.result(n.close());
    }
    if (sdk != null) {
      sdk.close();
    }
    GlobalOpenTelemetry.resetForTest();
  }

  private void startTwo(boolean links, boolean tracing) {
    this.links = links;
    GlobalOpenTelemetry.resetForTest();
    sdk = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
      .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build()).buildAndRegisterGlobal();
    int p1 = ClusterSupport.freePort();
    int p2 = ClusterSupport.freePort();
    List<String> seeds = List.of("127.0.0.1:" + p1, "127.0.0.1:" + p2);
    for (int port : new int[]{p1, p2}) {
      nodes.add(Await.result(BeachNode.clustered(new NodeOptions().setTracingEnabled(tracing)
        .setStatsIntervalMs(200).setDirectorySyncMs(1000)
        .setCluster(new ClusterOptions().setHost("127.0.0.1").setPort(port).setSeeds(seeds).setLinks(links)))));
    }
    BeachNode a = nodes.get(0);
    BeachNode b = nodes.get(1);
    deploy(a, TestActors.Echo.class, "echo", a);
    deploy(a, TestActors.Echo.class, "echo", a);
    deploy(a, Hop.class, "hop", b);
    for (BeachNode n : nodes) {
      Await.until("both nodes to see the three actors", Duration.ofSeconds(30),
        () -> Await.result(n.beach().actors(REALM, "echo")).size() == 2
          && Await.result(n.beach().actors(REALM, "hop")).size() == 1);
    }
    caller = a.vertx().getOrCreateContext();
    if (links) {
      // Links open on first use: until then a request takes the bus. Warm both hops up, then forget their spans.
      Await.until("both hops to take links", Duration.ofSeconds(10), () -> {
        long fromA = links(a).framesSent();
        long fromB = links(b).framesSent();
        Await.result(on(() -> a.beach().handle(REALM, "hop").request("hop",
          new JsonObject().put("target", "echo").put("op", "whoami"))));
        // Each node sends one request and one reply: both on links means two link frames each.
        return links(a).framesSent() - fromA >= 2 && links(b).framesSent() - fromB >= 2;
      });
    }
    exporter.reset();
  }

  private static NodeLinks links(BeachNode node) {
    return ((NodeRuntime) node).links();
  }

  private <T> Future<T> on(Supplier<Future<T>> call) {
    Promise<T> p = Promise.promise();
    caller.runOnContext(v -> call.get().onComplete(p));
    return p.future();
  }

  private static void deploy(BeachNode from, Class<? extends Actor> type, String category, BeachNode on) {
    Await.result(from.beach().deploy(ActorSpec.of(REALM, type, category).setPlacement(Placement.nodeId(on.id()))));
  }

  /** Makes the call inside a root span (what the HTTP server span will be) and returns that span's data. */
  private SpanData traced(Supplier<Future<Object>> call, int spans, boolean fails) {
    Span root = GlobalOpenTelemetry.getTracer("test").spanBuilder("root").startSpan();
    long fromA = links(nodes.get(0)).framesSent();
    long fromB = links(nodes.get(1)).framesSent();
    Future<Object> f = on(() -> {
      Scope scope = root.makeCurrent();
      try {
        return call.get();
      } finally {
        scope.close();
      }
    });
    if (fails) {
      Await.failure(f);
    } else {
      Await.result(f);
    }
    root.end();
    // The call took the way under test: links carried frames of it when on (which hop takes a link also depends
    // on the link of each event loop being open; the warm-up saw both nodes send on links), the bus only when off.
    long onLinks = links(nodes.get(0)).framesSent() - fromA + links(nodes.get(1)).framesSent() - fromB;
    assertEquals(links, onLinks > 0, onLinks + " frames of the call took links");
    if (!links) {
      assertEquals(0, links(nodes.get(0)).framesSent() + links(nodes.get(1)).framesSent());
    }
    Await.until(spans + " spans", Duration.ofSeconds(10), () -> exporter.getFinishedSpanItems().size() >= spans);
    List<SpanData> all = exporter.getFinishedSpanItems();
    assertEquals(spans, all.size(), () -> all.stream().map(SpanData::getName).collect(Collectors.toList()).toString());
    SpanData r = one("root", null);
    for (SpanData s : all) {
      assertEquals(r.getTraceId(), s.getTraceId(), "one trace: " + s.getName());
    }
    return r;
  }

  private SpanData one(String name, SpanData parent) {
    List<SpanData> found = exporter.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)
      && (parent == null || s.getParentSpanId().equals(parent.getSpanId()))).collect(Collectors.toList());
    assertEquals(1, found.size(), "one span '" + name + "' under " + (parent == null ? "-" : parent.getName())
      + " in " + exporter.getFinishedSpanItems());
    return found.get(0);
  }

  private void assertOn(SpanData s, BeachNode node, SpanKind kind) {
    assertEquals(kind, s.getKind(), s.getName());
    assertEquals(node.id(), s.getAttributes().get(OtelTracing.NODE), s.getName());
    assertEquals(REALM, s.getAttributes().get(OtelTracing.REALM), s.getName());
  }

  @ParameterizedTest(name = "links {0}")
  @ValueSource(booleans = {true, false})
  void aRequestThroughTwoNodesIsOneTrace(boolean links) {
    startTwo(links, true);
    BeachNode a = nodes.get(0);
    BeachNode b = nodes.get(1);
    SpanData root = traced(() -> a.beach().handle(REALM, "hop").request("hop",
      new JsonObject().put("target", "echo").put("op", "whoami")), 5, false);
    SpanData callHop = one("request hop", root);
    assertOn(callHop, b, SpanKind.CLIENT);
    assertEquals(0L, callHop.getAttributes().get(OtelTracing.ATTEMPT));
    assertEquals("hop", callHop.getAttributes().get(OtelTracing.CATEGORY));
    SpanData handleHop = one("handle hop", callHop);
    assertOn(handleHop, b, SpanKind.SERVER);
    assertEquals("ok", handleHop.getAttributes().get(OtelTracing.OUTCOME));
    assertEquals(callHop.getAttributes().get(OtelTracing.REQUEST_ID), handleHop.getAttributes().get(OtelTracing.REQUEST_ID));
    SpanData callEcho = one("request whoami", handleHop);
    assertOn(callEcho, a, SpanKind.CLIENT);
    SpanData handleEcho = one("handle whoami", callEcho);
    assertOn(handleEcho, a, SpanKind.SERVER);
    // The line the handler logged carries the trace id: from a log line to its trace.
    List<LogLine> lines = Await.result(a.beach().logs(REALM, new LogQuery().setCategory("hop"))).lines();
    assertTrue(lines.stream().anyMatch(l -> l.message().startsWith("hopping") && root.getTraceId().equals(l.traceId())),
      () -> lines.stream().map(l -> l.message() + " " + l.traceId()).collect(Collectors.toList()).toString());
  }

  @ParameterizedTest(name = "links {0}")
  @ValueSource(booleans = {true, false})
  void requestAllMakesOneChildPerActor(boolean links) {
    startTwo(links, true);
    BeachNode a = nodes.get(0);
    SpanData root = traced(() -> a.beach().handle(REALM, "hop").request("hopAll",
      new JsonObject().put("target", "echo")), 7, false);
    SpanData handleHop = one("handle hopAll", one("request hopAll", root));
    List<SpanData> calls = exporter.getFinishedSpanItems().stream()
      .filter(s -> s.getName().equals("requestAll whoami")).collect(Collectors.toList());
    assertEquals(2, calls.size());
    for (SpanData call : calls) {
      assertEquals(handleHop.getSpanId(), call.getParentSpanId());
      assertOn(one("handle whoami", call), a, SpanKind.SERVER);
    }
  }

  @ParameterizedTest(name = "links {0}")
  @ValueSource(booleans = {true, false})
  void aStreamsProducerIsTheChildOfTheCallersSpan(boolean links) {
    startTwo(links, true);
    BeachNode a = nodes.get(0);
    BeachNode b = nodes.get(1);
    deploy(a, TestActors.Streamer.class, "numbers", b);
    Await.until("A to see the streamer", Duration.ofSeconds(30),
      () -> Await.result(a.beach().actors(REALM, "numbers")).size() == 1);
    exporter.reset();
    Span root = GlobalOpenTelemetry.getTracer("test").spanBuilder("root").startSpan();
    Promise<Integer> done = Promise.promise();
    caller.runOnContext(v -> {
      Scope scope = root.makeCurrent();
      try {
        List<Object> items = new ArrayList<>();
        io.vertx.core.streams.ReadStream<Object> s = a.beach().handle(REALM, "numbers").requestStream("count",
          new JsonObject().put("n", 5));
        s.exceptionHandler(done::tryFail).endHandler(x -> done.tryComplete(items.size())).handler(items::add);
      } finally {
        scope.close();
      }
    });
    assertEquals(5, Await.result(done.future()));
    root.end();
    Await.until("3 spans", Duration.ofSeconds(10), () -> exporter.getFinishedSpanItems().size() >= 3);
    SpanData open = one("requestStream count", one("root", null));
    assertOn(open, b, SpanKind.CLIENT);
    SpanData produce = one("handle count", open);
    assertOn(produce, b, SpanKind.SERVER);
    assertEquals("ok", produce.getAttributes().get(OtelTracing.OUTCOME));
  }

  @ParameterizedTest(name = "links {0}")
  @ValueSource(booleans = {true, false})
  void anErrorMarksItsSpansWithItsCode(boolean links) {
    startTwo(links, true);
    BeachNode a = nodes.get(0);
    SpanData root = traced(() -> a.beach().handle(REALM, "hop").withRetries(0).request("hop",
      new JsonObject().put("target", "echo").put("op", "fail")), 5, true);
    SpanData callHop = one("request hop", root);
    SpanData handleHop = one("handle hop", callHop);
    SpanData handleFail = one("handle fail", one("request fail", handleHop));
    for (SpanData s : List.of(callHop, handleHop, handleFail)) {
      assertEquals(StatusCode.ERROR, s.getStatus().getStatusCode(), s.getName());
      assertEquals("error", s.getAttributes().get(OtelTracing.OUTCOME), s.getName());
      assertEquals((long) ErrorCode.CONFLICT.code(), s.getAttributes().get(OtelTracing.ERROR_CODE), s.getName());
    }
  }

  @ParameterizedTest(name = "links {0}")
  @ValueSource(booleans = {true, false})
  void callsFromAHandlersCallbacksAreItsChildren(boolean links) {
    startTwo(links, true);
    BeachNode a = nodes.get(0);
    BeachNode b = nodes.get(1);
    deploy(a, Later.class, "later", b);
    Await.until("A to see the actor", Duration.ofSeconds(30),
      () -> Await.result(a.beach().actors(REALM, "later")).size() == 1);
    if (links) {
      // The new actor's event loop on B has no link to A yet: warm it up as startTwo does for the others.
      Await.until("the new actor's calls to take links", Duration.ofSeconds(10), () -> {
        long fromB = links(b).framesSent();
        Await.result(on(() -> a.beach().handle(REALM, "later").request("afterReply", null)));
        return links(b).framesSent() - fromB >= 2;
      });
    }
    exporter.reset();
    // root, the call to B and its handling, then two calls from the reply callback's chain, each handled on A
    SpanData root = traced(() -> a.beach().handle(REALM, "later").request("afterReply", null), 7, false);
    SpanData handle = one("handle afterReply", one("request afterReply", root));
    List<SpanData> calls = exporter.getFinishedSpanItems().stream()
      .filter(s -> s.getName().equals("request whoami")).collect(Collectors.toList());
    assertEquals(2, calls.size());
    for (SpanData call : calls) {
      assertEquals(handle.getSpanId(), call.getParentSpanId(), "the call made after the first reply too");
      assertOn(one("handle whoami", call), a, SpanKind.SERVER);
    }

    exporter.reset();
    root = traced(() -> a.beach().handle(REALM, "later").request("afterTimer", null), 5, false);
    handle = one("handle afterTimer", one("request afterTimer", root));
    one("handle whoami", one("request whoami", handle));
    // A line logged from the timer carries the trace id too, though the handler (and its MDC) is long gone.
    String traceId = root.getTraceId();
    List<LogLine> lines = Await.result(a.beach().logs(REALM, new LogQuery().setCategory("later"))).lines();
    assertTrue(lines.stream().anyMatch(l -> l.message().equals("the timer fired") && traceId.equals(l.traceId())),
      () -> lines.stream().map(l -> l.message() + " " + l.traceId()).collect(Collectors.toList()).toString());
  }

  @ParameterizedTest(name = "links {0}")
  @ValueSource(booleans = {true})
  void offMakesNoSpans(boolean links) {
    startTwo(links, false);
    BeachNode a = nodes.get(0);
    traced(() -> a.beach().handle(REALM, "hop").request("hop",
      new JsonObject().put("target", "echo").put("op", "whoami")), 1, false);
    assertTrue(exporter.getFinishedSpanItems().stream().allMatch(s -> s.getName().equals("root")));
  }
}
