package dev.beach.impl.transport;

import dev.beach.ActorInfo;
import dev.beach.Address;
import dev.beach.ClusterOptions;
import dev.beach.impl.transport.LinkGuard.Reason;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The connecting side of the link handshake, against {@link FakePeer}s: no link (and no request on one) to a peer
 * that answers as another node than its advert's, proves another secret or none, passes on a proof made for
 * another address (a relay), or never answers the hello.
 */
class LinkHandshakeTest {

  private static final String A = "nodea";
  private static final String SECRET = "the-cluster-secret-0123456789";
  private VertxInternal vertx;
  private Lanes lanes;
  private NodeLinks links;
  private Coalescer coalescer;
  private Deadlines deadlines;
  private ContextInternal ctx;

  @BeforeEach
  void startNodeA() throws Exception {
    vertx = (VertxInternal) Vertx.vertx();
    vertx.eventBus().registerDefaultCodec(Envelope.class, new Envelope.Codec());
    lanes = new Lanes(vertx, A);
    links = new NodeLinks(vertx, A, new ClusterOptions().setSecret(SECRET), lanes, true);
    deadlines = new Deadlines(A);
    coalescer = new Coalescer(vertx, A, links, new NodeAddresses(), (f, r) -> r.reply(A), deadlines);
    get(links.start(vertx.createEventLoopContext(), coalescer));
    get(vertx.eventBus().<Object>consumer(Address.node(A), coalescer::onEnvelope).completion());
    ctx = lanes.contexts().get(0);
  }

  @AfterEach
  void close() throws Exception {
    get(links.close());
    deadlines.close();
    get(vertx.close());
  }

  private static ActorInfo actorOn(String node) {
    return new ActorInfo("actor-on-" + node, "realm", "Cls", List.of("cat"), node, 1, null, 0);
  }

  private Envelope.Frame request(ActorInfo to) {
    return new Envelope.Frame(Envelope.REQUEST, coalescer.nextCorr(), to.id(), "cat", "op", Ids.requestId(), null, null,
      0, new JsonObject());
  }

  /** Sends a request from lane 0's loop, as a caller there would. */
  private Future<Object> send(ActorInfo to) {
    Promise<Object> p = Promise.promise();
    ctx.runOnContext(v -> coalescer.request(to, request(to), 5_000).onComplete(p));
    return p.future();
  }

  @Test
  void noLinkToAPeerThatAnswersAsAnotherNode() throws Exception {
    FakePeer b = FakePeer.start(vertx, "nodeb", ClusterOptions.DEFAULT_NAME, SECRET);
    b.answerAs = "nodex";
    assertNoLinkTo(b, Reason.HANDSHAKE);
  }

  @Test
  void noLinkThroughARelay() throws Exception {
    // What a relay passes on: the real node's proof, made for the real node's address, not the relay's.
    FakePeer relay = FakePeer.start(vertx, "nodeb", ClusterOptions.DEFAULT_NAME, SECRET);
    relay.proveFor = NodeLinks.address("127.0.0.1", relay.port() + 1);
    assertNoLinkTo(relay, Reason.AUTH);
  }

  @Test
  void noLinkToAPeerWithAnotherSecret() throws Exception {
    assertNoLinkTo(FakePeer.start(vertx, "nodeb", ClusterOptions.DEFAULT_NAME, "not-the-secret-0123456789"), Reason.AUTH);
  }

  @Test
  void noLinkToAPeerWithoutASecret() throws Exception {
    assertNoLinkTo(FakePeer.start(vertx, "nodeb", ClusterOptions.DEFAULT_NAME, null), Reason.AUTH);
  }

  @Test
  void noLinkToAPeerThatNeverAnswersTheHello() throws Exception {
    links.guard().limits(300, LinkGuard.DEFAULT_MAX_INBOUND, LinkGuard.DEFAULT_MAX_INBOUND_PER_ADDRESS);
    NetServer silent = vertx.createNetServer().connectHandler(s -> { });
    get(silent.listen(0, "127.0.0.1"));
    links.onAdvert("nodeb", new JsonObject().put("host", "127.0.0.1")
      .put("ports", new io.vertx.core.json.JsonArray().add(silent.actualPort())));
    send(actorOn("nodeb"));
    until("the silent peer is dropped", () -> links.guard().rejected(Reason.DEADLINE) == 1);
    assertEquals(0, links.openLinks());
  }

  private void assertNoLinkTo(FakePeer b, Reason reason) throws Exception {
    links.onAdvert(b.nodeId, b.advert());
    send(actorOn(b.nodeId));
    until("the link to " + b.nodeId + " is refused", () -> links.guard().rejected(reason) == 1);
    for (int i = 0; i < 5; i++) {
      send(actorOn(b.nodeId)); // within the retry pause: no new attempt, the bus (which has no such node)
    }
    Thread.sleep(200);
    assertEquals(0, links.openLinks());
    assertTrue(b.requests.isEmpty(), "a request reached a peer that did not prove itself");
    assertEquals(1, links.guard().rejected());
  }

  private static <T> T get(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static void until(String what, BooleanSupplier done) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }
}
