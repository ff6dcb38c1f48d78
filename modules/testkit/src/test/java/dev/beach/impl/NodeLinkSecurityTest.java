package dev.beach.impl;

import dev.beach.ActorHandle;
import dev.beach.ActorSpec;
import dev.beach.BeachNode;
import dev.beach.ClusterOptions;
import dev.beach.NodeOptions;
import dev.beach.Placement;
import dev.beach.behaviour.TestActors;
import dev.beach.impl.transport.LinkGuard;
import dev.beach.impl.transport.LinkGuard.Reason;
import dev.beach.impl.transport.NodeLink;
import dev.beach.impl.transport.NodeLinks;
import dev.beach.testkit.Await;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cluster authentication on node links: nodes that share the cluster secret link; nodes with another secret,
 * or one with a secret and one without, do not (and still reach each other over the event bus); a stranger
 * that cannot prove the secret gets no link, and neither does one that sends too much before its handshake,
 * says nothing past the deadline, or opens more connections than the caps allow. The raw peers here speak the
 * handshake as {@link NodeLink}'s comment documents it, with their own HMAC: a second implementation of the
 * protocol that must agree with the node's.
 */
class NodeLinkSecurityTest {

  private static final String REALM = "linksec";
  private static final String SECRET = "the-cluster-secret-0123456789";
  private final List<BeachNode> nodes = new ArrayList<>();

  @AfterEach
  void tearDown() {
    for (BeachNode n : nodes) {
      Await.result(n.close());
    }
  }

  private static NodeLinks links(BeachNode node) {
    return ((NodeRuntime) node).links();
  }

  /** Clustered nodes on 127.0.0.1, seeded to each other; node i has secret {@code secrets[i]} (null: none). */
  private void start(String... secrets) throws Exception {
    List<Integer> ports = new ArrayList<>();
    List<String> seeds = new ArrayList<>();
    for (int i = 0; i < secrets.length; i++) {
      ports.add(freePort());
      seeds.add("127.0.0.1:" + ports.get(i));
    }
    for (int i = 0; i < secrets.length; i++) {
      nodes.add(Await.result(BeachNode.clustered(new NodeOptions().setStatsIntervalMs(200).setCluster(
        new ClusterOptions().setHost("127.0.0.1").setPort(ports.get(i)).setSeeds(seeds).setSecret(secrets[i])))));
    }
  }

  private static ActorHandle deployEcho(BeachNode caller, BeachNode host) {
    Await.result(caller.beach().deploy(ActorSpec.of(REALM, TestActors.Echo.class, "echo-" + host.id().substring(0, 8))
      .setPlacement(Placement.nodeId(host.id()))));
    return caller.beach().handle(REALM, "echo-" + host.id().substring(0, 8));
  }

  private static <T> Future<T> on(Context ctx, java.util.function.Supplier<Future<T>> call) {
    Promise<T> p = Promise.promise();
    ctx.runOnContext(v -> call.get().onComplete(p));
    return p.future();
  }

  @Test
  void nodesWithTheSameSecretLink() throws Exception {
    start(SECRET, SECRET);
    BeachNode caller = nodes.get(0);
    BeachNode host = nodes.get(1);
    ActorHandle echo = deployEcho(caller, host);
    Context ctx = caller.vertx().getOrCreateContext();
    Await.until("a request takes a link", Duration.ofSeconds(10), () -> {
      long before = links(caller).framesSent();
      Await.result(on(ctx, () -> echo.request("echo", new JsonObject())));
      return links(caller).framesSent() > before;
    });
    assertTrue(links(host).framesSent() > 0, "replies came back on the link");
    assertEquals(0, links(caller).guard().rejected() + links(host).guard().rejected());
  }

  @Test
  void nodesWithAnotherSecretOrNoneGetNoLinkAndTalkOverTheBus() throws Exception {
    start(SECRET, "another-secret-0123456789", null);
    for (BeachNode caller : nodes) {
      for (BeachNode host : nodes) {
        if (caller != host) {
          ActorHandle echo = deployEcho(caller, host);
          Context ctx = caller.vertx().getOrCreateContext();
          for (int i = 0; i < 5; i++) {
            assertEquals(host.id(), Await.<JsonObject>result(on(ctx, () -> echo.request("whoami", null))).getString("node"));
          }
        }
      }
    }
    for (BeachNode n : nodes) {
      Await.until("node " + n.id() + " refused a peer", Duration.ofSeconds(5),
        () -> links(n).guard().rejected(Reason.AUTH) > 0);
      assertEquals(0, links(n).framesSent(), "a frame took a link between nodes that do not share a secret");
      assertEquals(0, links(n).openLinks());
    }
  }

  @Test
  void aStrangerWhoCannotProveTheSecretGetsNoLink() throws Exception {
    start(SECRET);
    BeachNode node = nodes.get(0);
    LinkGuard guard = links(node).guard();
    int port = links(node).ports().get(0);

    // No secret at all.
    try (RawPeer stranger = new RawPeer(port)) {
      stranger.send(NodeLink.HELLO, stranger.hello(node.id(), "none"));
      stranger.assertClosed();
    }
    Await.until("refused for want of a proof", Duration.ofSeconds(5), () -> guard.rejected(Reason.AUTH) == 1);
    // The wrong secret: the node proves itself first, then refuses the stranger's proof.
    try (RawPeer stranger = new RawPeer(port)) {
      JsonObject welcome = stranger.handshake(node.id(), "not-the-secret-0123456789");
      assertEquals(node.id(), welcome.getString("node"));
      stranger.assertClosed();
    }
    Await.until("refused for a wrong proof", Duration.ofSeconds(5), () -> guard.rejected(Reason.AUTH) == 2);
    // A hello meant for another node.
    try (RawPeer stranger = new RawPeer(port)) {
      stranger.send(NodeLink.HELLO, stranger.hello("some-other-node", "hmac-sha256"));
      stranger.assertClosed();
    }
    Await.until("refused a hello for another node", Duration.ofSeconds(5), () -> guard.rejected(Reason.HANDSHAKE) == 1);
    // The right secret: the handshake completes and the link stays open.
    try (RawPeer friend = new RawPeer(port)) {
      friend.handshake(node.id(), SECRET);
      friend.assertOpen();
    }
    assertEquals(2, guard.rejected(Reason.AUTH));
  }

  @Test
  void anOversizedFrameBeforeTheHandshakeClosesTheConnection() throws Exception {
    start(SECRET);
    LinkGuard guard = links(nodes.get(0)).guard();
    try (RawPeer stranger = new RawPeer(links(nodes.get(0)).ports().get(0))) {
      // A length just over the pre-handshake limit, far under the 64 MiB an open link takes.
      stranger.out.writeInt(LinkGuard.MAX_HANDSHAKE_FRAME + 1);
      stranger.out.write(new byte[1024]);
      stranger.assertClosed();
    }
    Await.until("counted", Duration.ofSeconds(5), () -> guard.rejected(Reason.FRAME) == 1);
  }

  @Test
  void aSilentConnectionIsClosedAtTheHandshakeDeadline() throws Exception {
    start(SECRET);
    LinkGuard guard = links(nodes.get(0)).guard();
    guard.limits(300, LinkGuard.DEFAULT_MAX_INBOUND, LinkGuard.DEFAULT_MAX_INBOUND_PER_ADDRESS);
    int port = links(nodes.get(0)).ports().get(0);
    long start = System.nanoTime();
    try (RawPeer silent = new RawPeer(port)) {
      silent.assertClosed();
    }
    // A hello, then nothing where the proof should come.
    try (RawPeer halfway = new RawPeer(port)) {
      halfway.send(NodeLink.HELLO, halfway.hello(nodes.get(0).id(), "hmac-sha256"));
      halfway.readFrame();
      halfway.assertClosed();
    }
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertTrue(ms < 3_000, "closed after " + ms + " ms");
    Await.until("counted", Duration.ofSeconds(5), () -> guard.rejected(Reason.DEADLINE) == 2);
  }

  @Test
  void inboundConnectionsAreCappedPerAddressAndInAll() throws Exception {
    start(SECRET);
    BeachNode node = nodes.get(0);
    LinkGuard guard = links(node).guard().limits(10_000, LinkGuard.DEFAULT_MAX_INBOUND, 2);
    int port = links(node).ports().get(0);
    try (RawPeer first = new RawPeer(port); RawPeer second = new RawPeer(port)) {
      first.assertOpen();
      second.assertOpen();
      try (RawPeer third = new RawPeer(port)) {
        third.assertClosed();
      }
      assertEquals(1, guard.rejected(Reason.CAP));
      assertEquals(2, guard.inboundConnections());
    }
    // Closed connections give their places back.
    Await.until("places given back", Duration.ofSeconds(5), () -> guard.inboundConnections() == 0);
    try (RawPeer again = new RawPeer(port); RawPeer andAgain = new RawPeer(port)) {
      again.assertOpen();
      andAgain.assertOpen();
    }
    Await.until("places given back", Duration.ofSeconds(5), () -> guard.inboundConnections() == 0);
    guard.limits(10_000, 1, 100);
    try (RawPeer only = new RawPeer(port)) {
      only.assertOpen();
      try (RawPeer over = new RawPeer(links(node).ports().get(1 % links(node).ports().size()))) {
        over.assertClosed();
      }
    }
    assertTrue(guard.rejected(Reason.CAP) >= 2);
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      return s.getLocalPort();
    }
  }

  /** A raw TCP peer speaking the link handshake from its documentation. */
  private static final class RawPeer implements AutoCloseable {
    final Socket socket = new Socket();
    final DataOutputStream out;
    final DataInputStream in;
    final byte[] nonce = new byte[32];
    /** The node's listener as its advert names it (cluster.host here is 127.0.0.1). */
    final String address;

    RawPeer(int port) throws IOException {
      address = "127.0.0.1:" + port;
      socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
      socket.setSoTimeout(5_000);
      out = new DataOutputStream(socket.getOutputStream());
      in = new DataInputStream(socket.getInputStream());
      new SecureRandom().nextBytes(nonce);
    }

    JsonObject hello(String to, String auth) {
      return new JsonObject().put("v", 2).put("cluster", ClusterOptions.DEFAULT_NAME).put("node", "stranger")
        .put("to", to).put("auth", auth).put("nonce", nonce);
    }

    void send(byte type, JsonObject payload) throws IOException {
      byte[] p = payload.toBuffer().getBytes();
      out.writeInt(p.length + 1);
      out.writeByte(type);
      out.write(p);
      out.flush();
    }

    JsonObject readFrame() throws IOException {
      int length = in.readInt();
      byte type = in.readByte();
      byte[] p = new byte[length - 1];
      in.readFully(p);
      assertEquals(NodeLink.WELCOME, type);
      return new JsonObject(Buffer.buffer(p));
    }

    /** Hello, welcome, proof with {@code secret}; returns the welcome. */
    JsonObject handshake(String to, String secret) throws Exception {
      send(NodeLink.HELLO, hello(to, "hmac-sha256"));
      JsonObject welcome = readFrame();
      byte[] theirs = welcome.getBinary("nonce");
      assertTrue(java.security.MessageDigest.isEqual(welcome.getBinary("proof"),
        proof(SECRET, "acceptor", "stranger", to, address, nonce, theirs)), "the node proved the secret");
      send(NodeLink.PROOF, new JsonObject().put("proof", proof(secret, "connector", "stranger", to, address, nonce, theirs)));
      return welcome;
    }

    /** HMAC-SHA256(HMAC-SHA256(secret, "beach/node-links/v2"), length-prefixed transcript). */
    static byte[] proof(String secret, String role, String connector, String acceptor, String acceptorAddress, byte[] cn,
        byte[] an) throws Exception {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] key = mac.doFinal("beach/node-links/v2".getBytes(StandardCharsets.UTF_8));
      ByteBuffer t = ByteBuffer.allocate(1024);
      for (byte[] f : new byte[][]{bytes("beach-link-v2"), bytes(role), bytes(ClusterOptions.DEFAULT_NAME),
          bytes(connector), bytes(acceptor), bytes(acceptorAddress), cn, an}) {
        t.putInt(f.length).put(f);
      }
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update(t.array(), 0, t.position());
      return mac.doFinal();
    }

    static byte[] bytes(String s) {
      return s.getBytes(StandardCharsets.UTF_8);
    }

    void assertClosed() throws IOException {
      try {
        assertEquals(-1, in.read(), "the node sent more");
      } catch (SocketTimeoutException e) {
        throw new AssertionError("the node kept the connection open", e);
      } catch (SocketException reset) {
        // closed with a reset
      }
    }

    void assertOpen() throws IOException {
      socket.setSoTimeout(500);
      try {
        int b = in.read();
        throw new AssertionError("the node closed the connection or spoke (" + b + ")");
      } catch (SocketTimeoutException stillOpen) {
        // what we wanted
      } catch (SocketException reset) {
        throw new AssertionError("the node reset the connection", reset);
      } finally {
        socket.setSoTimeout(5_000);
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
