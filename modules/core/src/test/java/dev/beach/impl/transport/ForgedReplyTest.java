package dev.beach.impl.transport;

import dev.beach.ActorInfo;
import dev.beach.Address;
import dev.beach.ClusterOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A reply completes a request only when it comes the way the request went: a {@link FakePeer} that proved the
 * secret on its own link cannot answer a request waiting on another link, and a bus envelope from a third node
 * cannot answer a request sent to another node. The real reply still arrives.
 */
class ForgedReplyTest {

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

  /** Requests until one is answered by {@code peer} itself, i.e. travelled on its link. */
  private void linkUp(FakePeer peer, ActorInfo to) throws Exception {
    until("a link to " + peer.nodeId, () -> {
      try {
        return peer.nodeId.equals(get(send(to)));
      } catch (Exception busHasNoSuchNode) {
        return false;
      }
    });
    peer.requests.clear();
  }

  @Test
  void aReplyOnAnotherLinkCannotCompleteARequest() throws Exception {
    FakePeer b = FakePeer.start(vertx, "nodeb", ClusterOptions.DEFAULT_NAME, SECRET);
    FakePeer c = FakePeer.start(vertx, "nodec", ClusterOptions.DEFAULT_NAME, SECRET);
    links.onAdvert(b.nodeId, b.advert());
    links.onAdvert(c.nodeId, c.advert());
    linkUp(b, actorOn(b.nodeId));
    linkUp(c, actorOn(c.nodeId));

    b.autoReply = false;
    Future<Object> reply = send(actorOn(b.nodeId));
    long corr = b.nextRequest();
    // Node C, authenticated on its own link, answers the request that waits on B's link.
    c.reply(corr, "forged");
    until("the forged reply is dropped", () -> coalescer.strayReplies() == 1);
    assertFalse(reply.isComplete(), "a reply from another link completed the request");
    b.reply(corr, "real");
    assertEquals("real", get(reply));
  }

  @Test
  void aBusReplyFromAnotherNodeCannotCompleteARequest() throws Exception {
    String d = "noded";
    LinkedBlockingQueue<Long> corrs = new LinkedBlockingQueue<>();
    get(vertx.eventBus().<Object>consumer(Address.nodeLane(d, 0), (Message<Object> m) -> {
      if (m.body() instanceof Envelope) {
        ((Envelope) m.body()).frames.forEach(f -> corrs.add(f.corr));
      } else {
        m.reply("plain");
      }
    }).completion());
    get(vertx.eventBus().<Object>consumer(Address.node(d), (Message<Object> m) ->
      ((Envelope) m.body()).frames.forEach(f -> corrs.add(f.corr))).completion());
    // No advert for D: both take the bus, the first as a plain request, the second in an envelope.
    Promise<Object> first = Promise.promise();
    Promise<Object> second = Promise.promise();
    ctx.runOnContext(v -> {
      send(actorOn(d)).onComplete(first);
      send(actorOn(d)).onComplete(second);
    });
    assertEquals("plain", get(first.future()));
    Long corr = corrs.poll(5, TimeUnit.SECONDS);
    assertTrue(corr != null, "the second request went in an envelope");

    vertx.eventBus().send(Address.node(A), new Envelope("nodee", List.of(Envelope.Frame.reply(corr, "forged"))));
    until("the forged reply is dropped", () -> coalescer.strayReplies() == 1);
    assertFalse(second.future().isComplete(), "a bus reply from another node completed the request");
    vertx.eventBus().send(Address.node(A), new Envelope(d, List.of(Envelope.Frame.reply(corr, "real"))));
    assertEquals("real", get(second.future()));
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
