package dev.beach.impl;

import dev.beach.ActorHandle;
import dev.beach.ActorSpec;
import dev.beach.Address;
import dev.beach.BeachException;
import dev.beach.BeachNode;
import dev.beach.ClusterOptions;
import dev.beach.ErrorCode;
import dev.beach.HandleOptions;
import dev.beach.NodeOptions;
import dev.beach.Placement;
import dev.beach.behaviour.TestActors;
import dev.beach.impl.transport.NodeLink;
import dev.beach.impl.transport.NodeLinks;
import dev.beach.spi.ClusterSupport;
import dev.beach.testkit.Await;
import dev.beach.testkit.TestCluster;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SelfSignedCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.DataOutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Direct node links ({@link NodeLinks}): requests between nodes take them once open, a link that breaks fails
 * its requests at once (and retries recover), strangers are turned away, TLS clusters link over TLS, and a
 * node with links off still serves everything over the event bus.
 */
class NodeLinksTest {

  private static final String REALM = "links";
  private TestCluster cluster;
  private final List<BeachNode> nodes = new ArrayList<>();

  @AfterEach
  void tearDown() {
    if (cluster != null) {
      cluster.close();
    }
    for (BeachNode n : nodes) {
      Await.result(n.close());
    }
  }

  private static NodeLinks links(BeachNode node) {
    return ((NodeRuntime) node).links();
  }

  /** Runs {@code call} on {@code ctx}: requests from one event loop, so they share that loop's links. */
  private static <T> Future<T> on(Context ctx, Supplier<Future<T>> call) {
    Promise<T> p = Promise.promise();
    ctx.runOnContext(v -> call.get().onComplete(p));
    return p.future();
  }

  /** Deploys one echo actor on {@code host}; the handle to it from {@code caller}. */
  private static ActorHandle deployEcho(BeachNode caller, BeachNode host, int concurrency) {
    Await.result(caller.beach().deploy(ActorSpec.of(REALM, TestActors.Echo.class, "echo")
      .setPlacement(Placement.nodeId(host.id())).setConcurrency(concurrency)));
    return caller.beach().handle(REALM, "echo");
  }

  /** Requests from {@code ctx} until one of them travelled on a link. */
  private static void warmUp(Context ctx, ActorHandle echo, BeachNode caller) {
    Await.until("a request from this loop takes a link", Duration.ofSeconds(10), () -> {
      long before = links(caller).framesSent();
      Await.result(on(ctx, () -> echo.request("echo", new JsonObject())));
      return links(caller).framesSent() > before;
    });
  }

  @Test
  void requestsAndRepliesBetweenNodesTravelOnLinks() {
    cluster = TestCluster.start(2);
    BeachNode caller = cluster.node(0);
    BeachNode host = cluster.node(1);
    assertFalse(links(host).ports().isEmpty(), "a clustered node listens for links");
    ActorHandle echo = deployEcho(caller, host, 1);
    Context ctx = caller.vertx().getOrCreateContext();
    warmUp(ctx, echo, caller);

    long requestsBefore = links(caller).framesSent();
    long repliesBefore = links(host).framesSent();
    for (int i = 0; i < 50; i++) {
      int n = i;
      JsonObject r = Await.result(on(ctx, () -> echo.request("echo", new JsonObject().put("n", n))));
      assertEquals(n, r.getInteger("n"));
    }
    // 256 at once: coalesced into envelopes on the link, every one answered.
    List<Future<Object>> many = new ArrayList<>();
    Await.result(on(ctx, () -> {
      for (int i = 0; i < 256; i++) {
        many.add(echo.request("square", i));
      }
      return Future.succeededFuture();
    }));
    for (int i = 0; i < 256; i++) {
      assertEquals((long) i * i, ((Number) Await.result(many.get(i))).longValue());
    }
    assertEquals(50 + 256, links(caller).framesSent() - requestsBefore, "every request left on the link");
    assertEquals(50 + 256, links(host).framesSent() - repliesBefore, "every reply came back on the link");
    assertTrue(links(caller).openLinks() >= 1 && links(host).openLinks() >= 1);

    // Typed failures travel the same way.
    BeachException e = Await.failure(on(ctx, () -> echo.request("fail", null)));
    assertEquals(ErrorCode.CONFLICT, e.code());
    assertEquals(ErrorCode.BAD_REQUEST, Await.failure(on(ctx, () -> echo.request("square", -1))).code());
  }

  @Test
  void aBrokenLinkFailsItsRequestsAtOnceAndRetriesRecover() {
    cluster = TestCluster.start(2);
    BeachNode caller = cluster.node(0);
    BeachNode host = cluster.node(1);
    ActorHandle echo = deployEcho(caller, host, 4);
    Context ctx = caller.vertx().getOrCreateContext();
    warmUp(ctx, echo, caller);

    long sent = links(caller).framesSent();
    Future<Object> never = on(ctx, () -> echo.withOptions(new HandleOptions().setTimeoutMs(60_000).setRetries(0))
      .request("never", null));
    Await.until("the request left on the link", Duration.ofSeconds(5), () -> links(caller).framesSent() > sent);
    long brokenAt = System.currentTimeMillis();
    links(caller).closeLinksTo(host.id());
    BeachException e = Await.failure(never);
    long after = System.currentTimeMillis() - brokenAt;
    assertEquals(ErrorCode.NO_ACTORS, e.code(), e.toString());
    assertTrue(e.getMessage().contains("link"), e.getMessage());
    assertTrue(after < 5_000, "failed after " + after + " ms, not at once");

    // The retry of a request whose link breaks takes the bus or a new link, with the same request id.
    warmUp(ctx, echo, caller);
    long sentBeforeSlow = links(caller).framesSent();
    Future<Object> slow = on(ctx, () -> echo.withOptions(new HandleOptions().setRetries(3).setRetryDelayMs(10))
      .request("slow", new JsonObject().put("ms", 300)));
    Await.until("the slow request left", Duration.ofSeconds(5), () -> links(caller).framesSent() > sentBeforeSlow);
    links(caller).closeLinksTo(host.id());
    assertTrue(Await.result(slow) instanceof JsonObject);
    warmUp(ctx, echo, caller);
    // The unanswered request still occupies the actor: stop it, or closing its node waits out the drain.
    Await.result(caller.beach().stop(REALM, "echo"));
  }

  @Test
  void anEnvelopeTooLargeForALinkTakesTheEventBus() {
    cluster = TestCluster.start(2);
    BeachNode caller = cluster.node(0);
    BeachNode host = cluster.node(1);
    ActorHandle echo = deployEcho(caller, host, 1);
    Context ctx = caller.vertx().getOrCreateContext();
    warmUp(ctx, echo, caller);
    long sent = links(caller).framesSent();
    int size = NodeLink.MAX_FRAME + 1024;
    Buffer big = Buffer.buffer(new byte[size]);
    assertEquals(size, ((Number) Await.result(on(ctx, () -> echo.request("size", big)))).intValue());
    assertEquals(sent, links(caller).framesSent(), "the large request did not take the link");
    assertTrue(links(caller).openLinks() >= 1, "the link stays open for the next small request");
    warmUp(ctx, echo, caller);
  }

  @Test
  void aPeerWhoseLinkRefusesIsReachedOverTheBusUntilItsAdvertChanges() throws Exception {
    // Statistics (and so adverts) once a minute: only this test's adverts count.
    startTwo(cluster -> new NodeOptions().setStatsIntervalMs(60_000).setDirectorySyncMs(60_000).setCluster(cluster));
    BeachNode caller = nodes.get(0);
    BeachNode host = nodes.get(1);
    ActorHandle echo = deployEcho(caller, host, 1);
    int refused = ClusterSupport.freePort();
    JsonObject real = links(host).advert();
    links(caller).onAdvert(host.id(), new JsonObject().put("host", "127.0.0.1")
      .put("ports", new io.vertx.core.json.JsonArray().add(refused)));
    Context ctx = caller.vertx().getOrCreateContext();
    for (int i = 0; i < 20; i++) {
      assertEquals(host.id(), Await.<JsonObject>result(on(ctx, () -> echo.request("whoami", null))).getString("node"));
      Thread.sleep(100); // past the retry pause now and then: the refused link is tried again, and refused again
    }
    assertEquals(0, links(caller).framesSent());
    assertEquals(0, links(caller).openLinks());

    links(caller).onAdvert(host.id(), real);
    warmUp(ctx, echo, caller);
  }

  @Test
  void strangersAreTurnedAwayAndTheNodeKeepsServing() throws Exception {
    cluster = TestCluster.start(2);
    BeachNode host = cluster.node(1);
    Await.result(cluster.beach(0).deploy(ActorSpec.of(REALM, TestActors.Echo.class, "echo")
      .setPlacement(Placement.nodeId(host.id()))));
    int port = links(host).ports().get(0);

    // An absurd length: closed before anything is buffered.
    assertClosedAfter(port, frame(0x7fffffff, (byte) 2, new byte[0]));
    // An envelope before the hello.
    assertClosedAfter(port, frame(-1, NodeLink.ENVELOPE, new byte[]{0, 0, 0, 0}));
    // A hello from another cluster, one from a future version, one from version 1 (no handshake).
    assertClosedAfter(port, frame(-1, NodeLink.HELLO, hello(host).put("cluster", "other").toBuffer().getBytes()));
    assertClosedAfter(port, frame(-1, NodeLink.HELLO, hello(host).put("v", 99).toBuffer().getBytes()));
    assertClosedAfter(port, frame(-1, NodeLink.HELLO, new JsonObject().put("v", 1).put("cluster", ClusterOptions.DEFAULT_NAME)
      .put("node", "x").toBuffer().getBytes()));
    // A proper hello followed by a well-formed (empty) envelope where the proof should be: nothing but the
    // handshake before it is done.
    byte[] hello = frame(-1, NodeLink.HELLO, hello(host).toBuffer().getBytes());
    byte[] early = frame(-1, NodeLink.ENVELOPE, Buffer.buffer().appendInt(1).appendString("x").appendInt(0).getBytes());
    byte[] both = new byte[hello.length + early.length];
    System.arraycopy(hello, 0, both, 0, hello.length);
    System.arraycopy(early, 0, both, hello.length, early.length);
    assertClosedAfter(port, both, true);

    JsonObject r = Await.result(cluster.beach(0).handle(REALM, "echo").request("whoami", null));
    assertEquals(host.id(), r.getString("node"));
  }

  /** A version-2 hello to {@code to} from a node without a cluster secret (all nodes here have none). */
  private static JsonObject hello(BeachNode to) {
    return new JsonObject().put("v", NodeLink.VERSION).put("cluster", ClusterOptions.DEFAULT_NAME).put("node", "x")
      .put("to", to.id()).put("auth", "none").put("nonce", new byte[32]);
  }

  /** {@code [length][type][payload]}; length -1 means the true one. */
  private static byte[] frame(int length, byte type, byte[] payload) {
    Buffer b = Buffer.buffer().appendInt(length < 0 ? payload.length + 1 : length).appendByte(type).appendBytes(payload);
    return b.getBytes();
  }

  private static void assertClosedAfter(int port, byte[] bytes) throws Exception {
    assertClosedAfter(port, bytes, false);
  }

  /** {@code welcomed}: the node may answer a hello with its welcome frame before it closes. */
  private static void assertClosedAfter(int port, byte[] bytes, boolean welcomed) throws Exception {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(TestCluster.HOST, port), 2_000);
      s.setSoTimeout(5_000);
      new DataOutputStream(s.getOutputStream()).write(bytes);
      java.io.DataInputStream in = new java.io.DataInputStream(s.getInputStream());
      try {
        if (welcomed) {
          int length = in.readInt();
          assertEquals(NodeLink.WELCOME, in.readByte());
          in.skipBytes(length - 1);
        }
        assertEquals(-1, in.read(), "the node answered a stranger");
      } catch (SocketTimeoutException e) {
        throw new AssertionError("the node kept a stranger's connection open", e);
      } catch (SocketException reset) {
        // closed with a reset: turned away as well
      }
    }
  }

  @Test
  void tlsClustersLinkOverTlsAndRefusePlainPeers() throws Exception {
    SelfSignedCertificate cert = SelfSignedCertificate.create("localhost");
    try {
      startTwo(cluster -> new NodeOptions().setStatsIntervalMs(200)
        .setCluster(cluster.setTls(cert.privateKeyPath(), cert.certificatePath(), cert.certificatePath())));
      BeachNode caller = nodes.get(0);
      BeachNode host = nodes.get(1);
      ActorHandle echo = deployEcho(caller, host, 1);
      warmUp(caller.vertx().getOrCreateContext(), echo, caller);
      // A plain-text hello is not a TLS handshake: the link refuses it.
      assertClosedAfter(links(host).ports().get(0), frame(-1, NodeLink.HELLO, new JsonObject().put("v", 1)
        .put("cluster", ClusterOptions.DEFAULT_NAME).put("node", "x").toBuffer().getBytes()));
    } finally {
      cert.delete();
    }
  }

  @Test
  void withLinksOffEverythingTakesTheEventBus() throws Exception {
    startTwo(cluster -> new NodeOptions(new JsonObject().put("cluster", cluster.toJson().put("links", false)))
      .setStatsIntervalMs(200));
    BeachNode caller = nodes.get(0);
    BeachNode host = nodes.get(1);
    assertTrue(links(host).ports().isEmpty());
    ActorHandle echo = deployEcho(caller, host, 1);
    Context ctx = caller.vertx().getOrCreateContext();
    // Three rounds of the host's statistics at the caller: a link would have been advertised by now.
    AtomicInteger rounds = new AtomicInteger();
    MessageConsumer<JsonObject> stats = caller.vertx().eventBus().consumer(Address.STATS, m -> {
      if (host.id().equals(m.body().getString("id"))) {
        rounds.incrementAndGet();
      }
    });
    Await.result(stats.completion());
    Await.until("three statistics rounds from the host", Duration.ofSeconds(10), () -> rounds.get() >= 3);
    Await.result(stats.unregister());
    for (int i = 0; i < 20; i++) {
      assertEquals(host.id(), Await.<JsonObject>result(on(ctx, () -> echo.request("whoami", null))).getString("node"));
    }
    assertEquals(0, links(caller).framesSent());
    assertEquals(0, links(caller).openLinks());
  }

  @Test
  void aTakenLinkPortFailsTheStartWithTheKeyToChange() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("127.0.0.1", 0));
      int port = ClusterSupport.freePort();
      BeachException e = Await.failure(BeachNode.clustered(new NodeOptions().setCluster(new ClusterOptions()
        .setHost("127.0.0.1").setPort(port).setSeeds(List.of("127.0.0.1:" + port)).setLinkPort(taken.getLocalPort()))));
      assertEquals(ErrorCode.BAD_REQUEST, e.code());
      assertTrue(e.getMessage().contains("cluster.linkPort"), e.getMessage());
    }
  }

  /** Two clustered nodes on 127.0.0.1, seeded to each other, with the options {@code options} makes of their cluster section. */
  private void startTwo(java.util.function.Function<ClusterOptions, NodeOptions> options) throws Exception {
    int p1 = ClusterSupport.freePort();
    int p2 = ClusterSupport.freePort();
    List<String> seeds = List.of("127.0.0.1:" + p1, "127.0.0.1:" + p2);
    for (int port : new int[]{p1, p2}) {
      nodes.add(Await.result(BeachNode.clustered(options.apply(new ClusterOptions().setHost("127.0.0.1").setPort(port).setSeeds(seeds)))));
    }
  }

}
