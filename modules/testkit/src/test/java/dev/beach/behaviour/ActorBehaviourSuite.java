package dev.beach.behaviour;

import dev.beach.ActorHandle;
import dev.beach.ActorInfo;
import dev.beach.ActorReply;
import dev.beach.ActorSpec;
import dev.beach.Address;
import dev.beach.Beach;
import dev.beach.BeachException;
import dev.beach.ErrorCode;
import dev.beach.HandleOptions;
import dev.beach.Placement;
import dev.beach.testkit.Await;
import dev.beach.testkit.TestCluster;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every caller may rely on, whatever the cluster's size. Runs on one plain node and on three
 * clustered nodes (subclasses); each test uses categories of its own, so tests share a cluster.
 */
abstract class ActorBehaviourSuite {

  static final String REALM = "suite";
  private static final AtomicInteger SEQ = new AtomicInteger();

  private final TestCluster cluster;

  ActorBehaviourSuite(TestCluster cluster) {
    this.cluster = cluster;
  }

  /** The node callers use: the last one, so most requests cross the network in the clustered run. */
  Beach caller() {
    return cluster.beach(cluster.size() - 1);
  }

  Beach deployer() {
    return cluster.beach(0);
  }

  static String fresh(String base) {
    return base + "-" + SEQ.incrementAndGet();
  }

  List<String> deploy(Class<? extends dev.beach.Actor> type, String category, int instances) {
    return Await.result(deployer().deploy(ActorSpec.of(REALM, type, category).setInstances(instances)
      .setPlacement(Placement.roundRobin())));
  }

  /** The node hosting actor {@code id} of {@code category}, as the caller's directory lists it. */
  String nodeOf(String category, String id) {
    return caller().directory(REALM, category).stream().filter(a -> a.id().equals(id)).findFirst().orElseThrow().node();
  }

  @Test
  void requestReachesAnActorAndReturnsItsReply() {
    String cat = fresh("echo");
    List<String> ids = deploy(TestActors.Echo.class, cat, 3);
    JsonObject reply = Await.result(caller().handle(REALM, cat).request("echo", new JsonObject().put("x", 1)));
    assertEquals(1, reply.getInteger("x"));
    assertTrue(ids.contains(reply.getString("actor")));
  }

  @Test
  void randomModeSpreadsRequestsOverActors() {
    String cat = fresh("spread");
    List<String> ids = deploy(TestActors.Echo.class, cat, 3);
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 60; i++) {
      seen.add(Await.<JsonObject>result(caller().handle(REALM, cat).request("whoami", null)).getString("actor"));
    }
    assertEquals(new HashSet<>(ids), seen);
  }

  @Test
  void localModePrefersAnActorOnTheCallingNode() {
    String cat = fresh("local");
    deploy(TestActors.Echo.class, cat, cluster.size() * 2);
    for (int i = 0; i < 20; i++) {
      JsonObject r = Await.result(caller().handle(REALM, cat).local().request("whoami", null));
      assertEquals(caller().nodeId(), r.getString("node"));
    }
  }

  @Test
  void affinitySendsAKeyToTheSameActorEveryTime() {
    String cat = fresh("aff");
    deploy(TestActors.Echo.class, cat, 4);
    Map<String, String> owner = new HashMap<>();
    for (int round = 0; round < 3; round++) {
      for (int k = 0; k < 20; k++) {
        String key = "user-" + k;
        String actor = Await.<JsonObject>result(caller().handle(REALM, cat).affinity(key).request("whoami", null))
          .getString("actor");
        assertEquals(owner.computeIfAbsent(key, x -> actor), actor, "key " + key);
      }
    }
    assertTrue(new HashSet<>(owner.values()).size() > 1, "20 keys should not all land on one of 4 actors");
  }

  @Test
  void aHandleOnACategoryReachesItsSubCategoriesBySegmentNotByString() {
    String root = fresh("analytics");
    deploy(TestActors.Echo.class, root + ".ingest", 1);
    deploy(TestActors.Echo.class, root + ".store", 1);
    deploy(TestActors.Echo.class, root + "x", 1);
    ActorHandle handle = caller().handle(REALM, root);
    Await.until("directory lists the sub-categories", Duration.ofSeconds(5), () -> handle.actors().size() == 2);
    Set<String> cats = new HashSet<>();
    for (ActorInfo a : handle.actors()) {
      cats.addAll(a.categories());
    }
    assertEquals(Set.of(root + ".ingest", root + ".store"), cats);
    List<ActorReply> all = Await.result(handle.requestAll("whoami", null));
    assertEquals(2, all.size());
    assertTrue(all.stream().allMatch(ActorReply::ok));
  }

  @Test
  void broadcastReachesEveryActorOnce() {
    String cat = fresh("bcast");
    deploy(TestActors.Counter.class, cat, 4);
    int targeted = Await.result(caller().handle(REALM, cat).broadcast("add", new JsonObject().put("n", 5)));
    assertEquals(4, targeted);
    Await.until("every counter got the broadcast", Duration.ofSeconds(5), () -> {
      List<ActorReply> all = Await.result(caller().handle(REALM, cat).requestAll("get", null));
      return all.size() == 4 && all.stream().allMatch(r -> r.<JsonObject>data().getLong("count") == 5);
    });
  }

  @Test
  void requestAllGivesEachActorsOutcomeWithOneFailing() {
    String cat = fresh("flaky");
    Await.result(deployer().deploy(ActorSpec.of(REALM, TestActors.Flaky.class, cat).setInstances(2)));
    List<String> broken = Await.result(deployer().deploy(ActorSpec.of(REALM, TestActors.Flaky.class, cat)
      .setParams(new JsonObject().put("broken", true))));
    List<ActorReply> replies = Await.result(caller().handle(REALM, cat).requestAll("work", null));
    assertEquals(3, replies.size());
    assertEquals(2, replies.stream().filter(ActorReply::ok).count());
    ActorReply failed = replies.stream().filter(r -> !r.ok()).findFirst().orElseThrow();
    assertEquals(broken.get(0), failed.actor());
    assertEquals(ErrorCode.ACTOR_FAILED, failed.error().code());
    assertEquals(nodeOf(cat, broken.get(0)), failed.node());
  }

  @Test
  void shootDeliversWithoutAReply() {
    String cat = fresh("shoot");
    deploy(TestActors.Counter.class, cat, 1);
    for (int i = 0; i < 10; i++) {
      Await.result(caller().handle(REALM, cat).shoot("add", new JsonObject().put("n", 1)));
    }
    Await.until("ten shots counted", Duration.ofSeconds(5), () ->
      Await.<JsonObject>result(caller().handle(REALM, cat).request("get", null)).getLong("count") == 10);
  }

  @Test
  void fullMailboxAnswers429AndDropsNothingSilently() {
    String cat = fresh("mailbox");
    Await.result(deployer().deploy(ActorSpec.of(REALM, TestActors.Echo.class, cat).setMailboxSize(2)));
    // The first request is held until the gate opens: no place frees up while the others arrive, however slow the box.
    TestActors.Gate gate = TestActors.Gate.of(cat, caller().directory(REALM, cat).get(0).node());
    ActorHandle h = caller().handle(REALM, cat).withRetries(0);
    List<io.vertx.core.Future<Object>> sent = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      sent.add(h.request("hold", new JsonObject().put("gate", cat)));
    }
    // Every request is either answered at once (refused) or counted pending by the actor (held or queued).
    Await.until("each request refused or pending", Duration.ofSeconds(10), () -> sent.stream()
      .filter(io.vertx.core.Future::isComplete).count() + Await.result(caller().actors(REALM, cat)).get(0).stats().pending() == 12);
    assertEquals(1, gate.ids().size(), "one request in the handler while the gate is shut");
    List<io.vertx.core.Future<Object>> accepted = new ArrayList<>();
    int overloaded = 0;
    for (io.vertx.core.Future<Object> f : sent) {
      if (!f.isComplete()) {
        accepted.add(f);
        continue;
      }
      BeachException e = Await.failure(f);
      assertEquals(ErrorCode.OVERLOADED, e.code(), e.toString());
      assertTrue(e.getMessage().contains("mailbox"));
      overloaded++;
    }
    assertEquals(3, accepted.size(), "one in flight plus two waiting");
    gate.open();
    int ok = 0;
    for (io.vertx.core.Future<Object> f : accepted) {
      Await.result(f);
      ok++;
    }
    assertEquals(12, ok + overloaded, "every request is answered");
    assertEquals(3, ok, "one in flight plus two waiting");
    assertTrue(overloaded > 0);
  }

  @Test
  void unknownOpIs404NamingTheOpsTheActorHandles() {
    String cat = fresh("ops");
    deploy(TestActors.Echo.class, cat, 1);
    BeachException e = Await.failure(caller().handle(REALM, cat).request("nope", null));
    assertEquals(ErrorCode.NOT_FOUND, e.code());
    assertTrue(e.getMessage().contains("nope") && e.getMessage().contains("echo"), e.getMessage());
  }

  @Test
  void throwingHandlerIs500WithNodeActorOpAndStack() {
    String cat = fresh("boom");
    List<String> ids = deploy(TestActors.Echo.class, cat, 1);
    BeachException e = Await.failure(caller().handle(REALM, cat).request("boom", null));
    assertEquals(ErrorCode.ACTOR_FAILED, e.code());
    assertEquals(ids.get(0), e.actor());
    assertEquals("boom", e.op());
    assertEquals(REALM, e.realm());
    assertEquals(nodeOf(cat, ids.get(0)), e.node());
    assertTrue(e.details().getString("stack", "").contains("IllegalStateException"), e.details().encode());
  }

  @Test
  void applicationFailureKeepsItsCodeAndIsNotRetried() {
    String cat = fresh("conflict");
    deploy(TestActors.Echo.class, cat, 1);
    BeachException e = Await.failure(caller().handle(REALM, cat).request("fail", null));
    assertEquals(ErrorCode.CONFLICT, e.code());
    assertEquals("asked to fail", e.getMessage());
    assertFalse(e.details().containsKey("attempts"));
  }

  @Test
  void emptyCategoryIs503() {
    BeachException e = Await.failure(caller().handle(REALM, fresh("nobody")).withRetries(0).request("echo", null));
    assertEquals(ErrorCode.NO_ACTORS, e.code());
    BeachException all = Await.failure(caller().handle(REALM, fresh("nobody")).requestAll("echo", null));
    assertEquals(ErrorCode.NO_ACTORS, all.code());
  }

  @Test
  void noReplyInTimeIs504() {
    String cat = fresh("silent");
    deploy(TestActors.Echo.class, cat, 1);
    long t0 = System.currentTimeMillis();
    BeachException e = Await.failure(caller().handle(REALM, cat).withTimeout(300).withRetries(0).request("never", null));
    assertEquals(ErrorCode.TIMEOUT, e.code());
    assertTrue(System.currentTimeMillis() - t0 < 5000);
  }

  @Test
  void retriesKeepTheSameRequestIdAndReportAttempts() {
    String cat = fresh("retry");
    deploy(TestActors.Echo.class, cat, 1);
    BeachException e = Await.failure(caller().handle(REALM, cat)
      .withOptions(new HandleOptions().setTimeoutMs(150).setRetries(2).setRetryDelayMs(10)).request("never", null));
    assertEquals(ErrorCode.TIMEOUT, e.code());
    assertEquals(3, e.details().getInteger("attempts"));
  }

  @Test
  void aRetryAfterATimeoutCarriesTheSameRequestId() {
    String cat = fresh("idem");
    Await.result(deployer().deploy(ActorSpec.of(REALM, TestActors.Echo.class, cat).setConcurrency(10)));
    JsonObject r = Await.result(caller().handle(REALM, cat)
      .withOptions(new HandleOptions().setTimeoutMs(300).setRetries(2).setRetryDelayMs(10)).request("once", null));
    assertEquals(2, r.getInteger("seen"), "the actor saw the same id twice: " + r.encode());
  }

  @Test
  void invalidNamesAreRejectedQuotingTheRule() {
    BeachException realm = assertThrows(BeachException.class, () -> caller().handle("Bad Realm", "x"));
    assertTrue(realm.getMessage().contains(Address.REALM_RULE), realm.getMessage());
    BeachException cat = assertThrows(BeachException.class, () -> caller().handle(REALM, "a..b"));
    assertTrue(cat.getMessage().contains("dot-separated"), cat.getMessage());
    BeachException op = Await.failure(caller().handle(REALM, "x").request("no spaces", null));
    assertEquals(ErrorCode.BAD_REQUEST, op.code());
    assertTrue(op.getMessage().contains(Address.OP_RULE));
    BeachException spec = Await.failure(deployer().deploy(ActorSpec.of(REALM, "x.Y", "UPPER")));
    assertEquals(ErrorCode.BAD_REQUEST, spec.code());
  }

  @Test
  void unknownClassIs404NamingRealmAndClass() {
    BeachException e = Await.failure(deployer().deploy(ActorSpec.of(REALM, "com.example.Missing", fresh("m"))));
    assertEquals(ErrorCode.NOT_FOUND, e.code());
    assertTrue(e.getMessage().contains("com.example.Missing") && e.getMessage().contains(REALM), e.getMessage());
  }

  @Test
  void actorThatFailsToStartFailsTheDeployAndLeavesNothingBehind() {
    String cat = fresh("broken");
    BeachException e = Await.failure(deployer().deploy(ActorSpec.of(REALM, TestActors.Broken.class, cat).setInstances(2)));
    assertEquals(ErrorCode.ACTOR_FAILED, e.code());
    assertTrue(e.getMessage().contains("cannot start"), e.getMessage());
    assertTrue(caller().directory(REALM, cat).isEmpty());
  }

  /** The credit a reader grants at first and never exceeds (the stream protocol's window, restated here). */
  static final int STREAM_WINDOW = 64;

  @Test
  void streamedReplyArrivesInOrderWithBackPressure() throws Exception {
    String cat = fresh("stream");
    deploy(TestActors.Streamer.class, cat, 1);
    List<Integer> got = new ArrayList<>();
    AtomicInteger maxAhead = new AtomicInteger();
    Promise<Void> done = Promise.promise();
    cluster.node(cluster.size() - 1).vertx().runOnContext(v -> {
      ReadStream<JsonObject> s = caller().handle(REALM, cat).requestStream("count",
        new JsonObject().put("n", 500).put("tag", cat));
      s.pause();
      s.exceptionHandler(done::tryFail);
      s.endHandler(x -> done.tryComplete());
      s.handler(item -> {
        // Items the producer wrote that this reader has not taken yet: at most the credit it granted.
        maxAhead.accumulateAndGet(TestActors.Streamer.written(cat) - got.size(), Math::max);
        got.add(item.getInteger("i"));
        if (got.size() % 50 == 0) {
          // Read in bursts: the producer must wait for credit in between.
          cluster.node(0).vertx().setTimer(5, t -> s.fetch(50));
        }
      });
      s.fetch(50);
    });
    Await.result(done.future());
    assertEquals(500, got.size());
    for (int i = 0; i < 500; i++) {
      assertEquals(i, got.get(i));
    }
    assertEquals(500, TestActors.Streamer.written(cat));
    assertTrue(maxAhead.get() > 0 && maxAhead.get() <= STREAM_WINDOW,
      "the producer ran " + maxAhead.get() + " items ahead of the reader; credit is " + STREAM_WINDOW);
    // Credit comes at most a window at a time, so 500 items need at least (500 - 64) / 64 waits for more.
    int stalls = TestActors.Streamer.stalls(cat);
    assertTrue(stalls >= (500 - STREAM_WINDOW) / STREAM_WINDOW, "the producer waited for credit " + stalls + " times");
  }

  @Test
  void aProducerSendingBeyondItsCreditFailsTheStream() {
    String cat = fresh("overrun");
    Await.result(deployer().deploy(ActorSpec.of(REALM, TestActors.Streamer.class, cat).setPlacement(Placement.local())));
    Vertx callerVertx = cluster.node(cluster.size() - 1).vertx();
    // The opening request names the stream, the node to send frames to and the credit: catch it on its way out.
    Promise<MultiMap> opened = Promise.promise();
    Handler<DeliveryContext<Object>> spy = dc -> {
      if (dc.message().headers().contains("streamCredit")) {
        opened.tryComplete(MultiMap.caseInsensitiveMultiMap().addAll(dc.message().headers()));
      }
      dc.next();
    };
    callerVertx.eventBus().addOutboundInterceptor(spy);
    Promise<Void> done = Promise.promise();
    List<Object> items = new ArrayList<>();
    try {
      callerVertx.runOnContext(v -> caller().handle(REALM, cat).requestStream("silent", null).pause()
        .exceptionHandler(done::tryFail).endHandler(x -> done.tryComplete()).handler(items::add));
      MultiMap request = Await.result(opened.future());
      int credit = Integer.parseInt(request.get("streamCredit"));
      assertEquals(STREAM_WINDOW, credit);
      Await.until("the actor opened the stream", Duration.ofSeconds(5),
        () -> Await.result(deployer().actors(REALM, cat)).get(0).stats().pending() == 1);
      // A misbehaving producer: the paused reader granted `credit` items and nothing more; one more comes anyway.
      // Frames are plain event-bus messages to the reader's node with the headers Streams.java documents.
      for (int seq = 0; seq <= credit; seq++) {
        cluster.node(0).vertx().eventBus().send(Address.node(request.get("streamNode")), new JsonObject().put("i", seq),
          new DeliveryOptions().addHeader("frame", "item").addHeader("stream", request.get("stream"))
            .addHeader("seq", Integer.toString(seq)));
      }
      BeachException e = Await.failure(done.future());
      assertEquals(ErrorCode.ACTOR_FAILED, e.code(), e.toString());
      assertTrue(e.getMessage().contains("without credit"), e.getMessage());
      assertEquals(List.of(), items, "a paused reader hands out nothing, and fails rather than buffer past its credit");
      // The producer is told to stop: its request ends instead of waiting for credit forever.
      Await.until("the producer's request ended", Duration.ofSeconds(5),
        () -> Await.result(deployer().actors(REALM, cat)).get(0).stats().pending() == 0);
    } finally {
      callerVertx.eventBus().removeOutboundInterceptor(spy);
    }
  }

  @Test
  void streamFailureReachesTheReaderTyped() {
    String cat = fresh("streamfail");
    deploy(TestActors.Streamer.class, cat, 1);
    Promise<Void> done = Promise.promise();
    List<Object> items = new ArrayList<>();
    cluster.node(cluster.size() - 1).vertx().runOnContext(v -> caller().handle(REALM, cat).requestStream("failing", null)
      .exceptionHandler(done::tryFail).endHandler(x -> done.tryComplete()).handler(items::add));
    BeachException e = Await.failure(done.future());
    assertEquals(ErrorCode.ACTOR_FAILED, e.code());
    assertTrue(e.getMessage().contains("stream broke"), e.getMessage());
    assertEquals(1, items.size());
  }

  @Test
  void statsCountProcessedAndErrors() {
    String cat = fresh("stats");
    List<String> ids = deploy(TestActors.Echo.class, cat, 1);
    ActorHandle h = caller().handle(REALM, cat);
    long t0 = System.nanoTime();
    for (int i = 0; i < 4; i++) {
      Await.result(h.request("echo", null));
    }
    Await.result(h.request("slow", new JsonObject().put("ms", 60)));
    Await.failure(h.request("boom", null));
    ActorInfo info = Await.result(caller().actors(REALM, cat)).get(0);
    double elapsedMs = (System.nanoTime() - t0) / 1e6;
    assertEquals(ids.get(0), info.id());
    assertEquals(6, info.stats().processed());
    assertEquals(1, info.stats().errors());
    assertEquals(0, info.stats().pending());
    // One handler took at least 60 ms, and the six ran one after another within the time measured here.
    double mean = info.stats().meanLatencyMs();
    assertTrue(mean >= 60.0 / 6 && mean <= elapsedMs / 6, "mean latency " + mean + " ms, six requests in " + elapsedMs + " ms");
    Await.until("the rate shows the traffic of the last seconds", Duration.ofSeconds(4),
      () -> Await.result(caller().actors(REALM, cat)).get(0).stats().rate() > 0);
  }

  @Test
  void stoppingAnActorRemovesItFromEveryView() {
    String cat = fresh("stop");
    List<String> ids = deploy(TestActors.Echo.class, cat, 2);
    Await.result(caller().stop(ids.get(0)));
    Await.until("stopped actor gone from the caller's directory", Duration.ofSeconds(5),
      () -> caller().directory(REALM, cat).size() == 1);
    assertEquals(ErrorCode.NOT_FOUND, Await.failure(caller().stop(ids.get(0))).code());
    assertEquals(1, (int) Await.result(caller().stop(REALM, cat)));
    Await.until("category empty everywhere", Duration.ofSeconds(5), () -> cluster.nodes().stream()
      .allMatch(n -> n.beach().directory(REALM, cat).isEmpty()));
  }

  @Test
  void actorsAreReachableByIdAndPrivateParamsStayPrivate() {
    String cat = fresh("byid");
    List<String> ids = Await.result(deployer().deploy(ActorSpec.of(REALM, TestActors.Echo.class, cat)
      .setParams(new JsonObject().put("_secret", "s3cr3t").put("visible", 1))));
    JsonObject r = Await.result(caller().actor(REALM, ids.get(0)).request("whoami", null));
    assertEquals(ids.get(0), r.getString("actor"));
    assertEquals("s3cr3t", r.getJsonObject("params").getString("_secret"), "the actor itself sees its private params");
    for (ActorInfo a : Await.result(caller().actors(REALM, cat))) {
      assertFalse(a.toJson().encode().contains("s3cr3t"));
    }
    assertEquals(ErrorCode.NOT_FOUND, Await.failure(caller().actor(REALM, "nosuch-1").request("whoami", null)).code());
  }

  @Test
  void everyActorRunsBatchesOfItsOwnOpsWithPerItemOutcomes() {
    String cat = fresh("batch");
    deploy(TestActors.Echo.class, cat, 1);
    io.vertx.core.json.JsonArray items = new io.vertx.core.json.JsonArray().add(3).add(-1).add(5).add("x");
    for (String op : List.of("square", "slowSquare")) {
      JsonObject r = Await.result(caller().handle(REALM, cat).request("_batch",
        new JsonObject().put("op", op).put("base", 100).put("items", items)));
      io.vertx.core.json.JsonArray results = r.getJsonArray("results");
      assertEquals(4, results.size(), op);
      assertEquals(new JsonObject().put("i", 100).put("ok", true).put("value", 9), results.getJsonObject(0));
      assertEquals(101, results.getJsonObject(1).getInteger("i"));
      assertFalse(results.getJsonObject(1).getBoolean("ok"));
      assertEquals(25L, results.getJsonObject(2).getLong("value"));
      assertEquals(103, results.getJsonObject(3).getInteger("i"));
      assertFalse(results.getJsonObject(3).getBoolean("ok"), "a string is not a number: the item fails, not the batch");
    }
    assertEquals(ErrorCode.NOT_FOUND, Await.failure(caller().handle(REALM, cat).request("_batch",
      new JsonObject().put("op", "nope").put("items", items))).code());
    assertEquals(ErrorCode.BAD_REQUEST, Await.failure(caller().handle(REALM, cat).request("_batch",
      new JsonObject().put("items", 3))).code());
    JsonObject stats = Await.result(caller().handle(REALM, cat).request("_stats", null));
    // Four batches answered before this request (two of them failures); the items inside a batch are not requests.
    assertEquals(4L, stats.getJsonObject("stats").getLong("processed"), stats.encode());
  }

  @Test
  void anActorsContinuationsRunOnItsOwnContext() {
    String target = fresh("callee");
    deploy(TestActors.Echo.class, target, cluster.size() * 2);
    String relays = fresh("relay");
    deploy(TestActors.Relay.class, relays, cluster.size());
    for (String op : List.of("relay", "relayAll", "relayActors")) {
      for (int i = 0; i < 10; i++) {
        JsonObject r = Await.result(caller().handle(REALM, relays).request(op, new JsonObject().put("target", target)));
        assertTrue(r.getBoolean("ok"), op);
        assertTrue(r.getBoolean("sameContext"), op + ": continuation ran on another thread");
      }
    }
  }

  @Test
  void stoppingAnActorFailsItsInFlightRequestsWith503AtOnce() {
    String cat = fresh("stopmid");
    List<String> ids = deploy(TestActors.Echo.class, cat, 1);
    io.vertx.core.Future<Object> waiting = caller().handle(REALM, cat)
      .withOptions(new HandleOptions().setTimeoutMs(30_000).setRetries(0)).request("never", null);
    Await.until("the request is being handled", Duration.ofSeconds(5), () ->
      Await.result(caller().actors(REALM, cat)).get(0).stats().pending() == 1);
    long t0 = System.currentTimeMillis();
    Await.result(deployer().stop(ids.get(0)));
    BeachException e = Await.failure(waiting);
    assertEquals(ErrorCode.NO_ACTORS, e.code());
    assertTrue(e.getMessage().contains("stopped while handling"), e.getMessage());
    assertTrue(System.currentTimeMillis() - t0 < 5000);
  }
}
