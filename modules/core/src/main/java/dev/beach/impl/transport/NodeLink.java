package dev.beach.impl.transport;

import dev.beach.impl.transport.LinkGuard.Reason;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One direct TCP connection between two nodes, carrying {@link Envelope}s: requests from the connecting node
 * (outbound, its side) and their replies back on the same connection. The connection lives on one event loop
 * at each end (see {@link NodeLinks}), so a request written by a caller on that loop and answered by an
 * actor on the remote loop crosses no thread but the network's.
 * <p>
 * Frames are {@code [int length][byte type][payload]}. A connection starts with a three-frame handshake, JSON
 * payloads, byte fields in Vert.x's JSON binary form (base64url, no padding):
 * <ol>
 * <li>connector: {@link #HELLO} {@code {"v":2, "cluster", "node": its id, "to": the node it means to reach,
 * "auth": "hmac-sha256"|"none", "nonce": 32 random bytes}};</li>
 * <li>acceptor: {@link #WELCOME} {@code {"node": its id, "auth", "nonce": 32 random bytes, "proof"}};</li>
 * <li>connector: {@link #PROOF} {@code {"proof"}}.</li>
 * </ol>
 * With a cluster secret each proof is {@link LinkAuth}'s HMAC over both nonces, both node ids, the cluster name,
 * the acceptor's advertised address and the prover's role: the secret never crosses the wire and a proof is good
 * for this connection only. Each side checks the other's proof before it trusts anything; a node with a secret
 * refuses a peer offering none and a node without one refuses a peer that has one (no link: the two still talk
 * over the event bus). Without a secret on either side (loopback development clusters) the same frames travel
 * with no proof. The acceptor
 * refuses a hello meant for another node; the connector refuses a welcome from a node other than the one whose
 * advert gave the address, so a restarted or impostor process on that port never carries its requests.
 * <p>
 * Envelopes travel only once the handshake completes: until then the connector's requests take the event bus
 * (the link is not in {@link NodeLinks}' slots yet), and the acceptor closes a connection that sends anything
 * but the next handshake frame. Before the handshake a frame may hold at most {@link LinkGuard#MAX_HANDSHAKE_FRAME}
 * bytes and the handshake must finish within {@link LinkGuard}'s deadline; after it, {@link #MAX_FRAME}. Any
 * breach, an unknown type or an unreadable frame closes the connection and is counted by {@link LinkGuard}.
 * <p>
 * What this does not do: encrypt, or authenticate each frame. An attacker on the network path can read the
 * traffic and take over an established connection; mutual TLS ({@code eventBus.tls}, which links use too) is the
 * option against that.
 */
public final class NodeLink {

  private static final Logger LOG = LoggerFactory.getLogger(NodeLink.class);

  public static final byte HELLO = 1;
  public static final byte ENVELOPE = 2;
  public static final byte WELCOME = 3;
  public static final byte PROOF = 4;
  public static final int VERSION = 2;
  /** The largest frame either side accepts once the handshake is done; bigger envelopes take the event bus. */
  public static final int MAX_FRAME = 64 * 1024 * 1024;

  private static final Envelope.Codec CODEC = new Envelope.Codec();

  private final Vertx vertx;
  private final NetSocket socket;
  private final boolean outbound;
  private final String self;
  private final LinkAuth auth;
  private final LinkGuard guard;
  private final Coalescer coalescer;
  private final RecordParser parser;
  /** The remote host, for the guard's per-address counts and the logs. */
  private final String address;
  /** The acceptor's {@code host:port} as its advert names it: what the connector dialled, what the acceptor listens on. */
  private final String acceptorAddress;
  private final Promise<NodeLink> opened = Promise.promise();
  private final long deadline;
  private int expectedLength = -1;
  private byte[] ourNonce;
  private byte[] theirNonce;
  /** Inbound: the node the hello names, trusted once its proof checks out. */
  private String claimedNode;
  private volatile boolean open;
  private volatile boolean closed;
  /** Closed by this side (a rule broken, idle, node leaving): not counted as a handshake the peer dropped. */
  private volatile boolean closedHere;
  private volatile long lastActive = System.nanoTime();
  /** Outbound: the node we meant to reach, from the start. Inbound: the authenticated peer, once open. */
  private volatile String remoteNode;
  private Runnable onClose = () -> { };

  /** The turn-coalescing outbox of this connection: requests on an outbound link, replies on an inbound one. */
  final Coalescer.Outbox outbox;

  private NodeLink(Vertx vertx, NetSocket socket, boolean outbound, String self, String peerNode,
      String acceptorAddress, LinkAuth auth, LinkGuard guard, Coalescer coalescer) {
    this.vertx = vertx;
    this.socket = socket;
    this.outbound = outbound;
    this.self = self;
    this.remoteNode = peerNode;
    this.acceptorAddress = acceptorAddress;
    this.auth = auth;
    this.guard = guard;
    this.coalescer = coalescer;
    this.address = socket.remoteAddress() == null ? "?" : socket.remoteAddress().hostAddress();
    this.outbox = coalescer.linkOutbox(this);
    this.parser = RecordParser.newFixed(4, this::onRecord);
    socket.handler(parser);
    socket.closeHandler(v -> onClosed());
    socket.exceptionHandler(t -> LOG.debug("{}: {}", this, t.toString()));
    long timeout = guard.handshakeTimeoutMs();
    this.deadline = vertx.setTimer(timeout, t -> {
      if (!open) {
        reject(Reason.DEADLINE, "no completed handshake within " + timeout + " ms");
      }
    });
  }

  /**
   * The connecting side, connected to {@code peerAddress} ({@code host:port} from {@code peerNode}'s advert): says
   * hello at once; {@link #opened()} completes once both sides have proven themselves.
   */
  static NodeLink outbound(Vertx vertx, NetSocket socket, String self, String peerNode, String peerAddress,
      LinkAuth auth, LinkGuard guard, Coalescer coalescer) {
    NodeLink link = new NodeLink(vertx, socket, true, self, peerNode, peerAddress, auth, guard, coalescer);
    link.ourNonce = LinkAuth.nonce();
    link.writeFrame(HELLO, new JsonObject().put("v", VERSION).put("cluster", auth.cluster()).put("node", self)
      .put("to", peerNode).put("auth", auth.scheme()).put("nonce", link.ourNonce).toBuffer());
    return link;
  }

  /**
   * The accepting side, on the listener this node advertises as {@code ownAddress} ({@code host:port}): waits for a
   * hello meant for {@code self} in its cluster, then for the connector's proof.
   */
  static NodeLink inbound(Vertx vertx, NetSocket socket, String self, String ownAddress, LinkAuth auth,
      LinkGuard guard, Coalescer coalescer) {
    return new NodeLink(vertx, socket, false, self, null, ownAddress, auth, guard, coalescer);
  }

  NodeLink onClose(Runnable action) {
    this.onClose = action;
    return this;
  }

  /** Completes when the handshake does; fails when the connection closes first. */
  Future<NodeLink> opened() {
    return opened.future();
  }

  boolean isOpen() {
    return open && !closed;
  }

  boolean isClosed() {
    return closed;
  }

  boolean isOutbound() {
    return outbound;
  }

  /** The node at the other end (known to inbound links once the handshake completes). */
  String peerNode() {
    return remoteNode;
  }

  /** The remote host, as the guard counts it. */
  String remoteHost() {
    return address;
  }

  /**
   * Writes one envelope; false when it cannot travel here (link not open, closed, or larger than
   * {@link #MAX_FRAME}), and the caller then sends it another way.
   */
  boolean write(Envelope envelope) {
    if (closed || !open) {
      return false;
    }
    Buffer out = Buffer.buffer(128);
    out.appendInt(0).appendByte(ENVELOPE);
    CODEC.encodeToWire(out, envelope);
    if (out.length() - 4 > MAX_FRAME) {
      return false;
    }
    out.setInt(0, out.length() - 4);
    lastActive = System.nanoTime();
    socket.write(out);
    return true;
  }

  private void writeFrame(byte type, Buffer payload) {
    Buffer out = Buffer.buffer(5 + payload.length());
    out.appendInt(1 + payload.length()).appendByte(type).appendBuffer(payload);
    socket.write(out);
  }

  void close() {
    closedHere = true;
    closed = true;
    socket.close();
  }

  /** Nanoseconds since anything was written or read here. */
  long idleNanos() {
    return System.nanoTime() - lastActive;
  }

  private void onClosed() {
    closed = true;
    vertx.cancelTimer(deadline);
    if (!open) {
      if (!closedHere) {
        guard.reject(Reason.HANDSHAKE, address, this + " closed by the other side during the handshake"
          + (outbound ? " (do both nodes have the same cluster secret, or both none?)" : ""));
      }
      opened.tryFail("closed during the handshake");
    }
    onClose.run();
  }

  private void onRecord(Buffer record) {
    if (closed) {
      return; // the rest of a read that a broken rule cut short
    }
    lastActive = System.nanoTime();
    if (expectedLength < 0) {
      int length = record.getInt(0);
      int max = open ? MAX_FRAME : LinkGuard.MAX_HANDSHAKE_FRAME;
      if (length < 1 || length > max) {
        reject(Reason.FRAME, "frame length " + length + " is outside 1.." + max + (open ? "" : " before the handshake"));
        return;
      }
      expectedLength = length;
      parser.fixedSizeMode(length);
      return;
    }
    expectedLength = -1;
    parser.fixedSizeMode(4);
    byte type = record.getByte(0);
    if (!open) {
      try {
        handshake(type, new JsonObject(record.getBuffer(1, record.length())));
      } catch (RuntimeException e) {
        reject(Reason.HANDSHAKE, "unreadable handshake frame of type " + type + ": " + e);
      }
      return;
    }
    try {
      if (type == ENVELOPE) {
        // Links carry requests one way: what arrives on one we opened are replies, with nowhere to answer.
        coalescer.onEnvelope(CODEC.decodeFromWire(1, record), outbound ? null : outbox, this);
      } else {
        reject(Reason.FRAME, "unexpected frame type " + type);
      }
    } catch (RuntimeException e) {
      reject(Reason.FRAME, "unreadable frame: " + e);
    }
  }

  private void handshake(byte type, JsonObject frame) {
    if (outbound) {
      welcomed(type, frame);
    } else if (claimedNode == null) {
      greeted(type, frame);
    } else {
      proven(type, frame);
    }
  }

  /** Acceptor, first frame: a hello of our version and cluster, meant for this node, with a scheme like ours. */
  private void greeted(byte type, JsonObject hello) {
    if (type != HELLO) {
      reject(Reason.HANDSHAKE, "the first frame must be a hello, not type " + type);
      return;
    }
    String node = hello.getString("node");
    String to = hello.getString("to");
    if (hello.getInteger("v", 0) != VERSION || !auth.cluster().equals(hello.getString("cluster"))) {
      reject(Reason.HANDSHAKE, "the hello is not version " + VERSION + " of cluster '" + auth.cluster() + "' (v "
        + hello.getValue("v") + ", cluster '" + clip(hello.getValue("cluster")) + "')");
      return;
    }
    if (node == null || node.isEmpty() || node.length() > 200 || !self.equals(to)) {
      reject(Reason.HANDSHAKE, "the hello from node '" + clip(node) + "' is meant for node '" + clip(to)
        + "', and this is node " + self);
      return;
    }
    if (!schemeMatches(hello)) {
      return;
    }
    byte[] nonce = nonce(hello);
    if (nonce == null) {
      reject(Reason.HANDSHAKE, "the hello has no " + LinkAuth.NONCE_BYTES + "-byte nonce");
      return;
    }
    claimedNode = node;
    theirNonce = nonce;
    ourNonce = LinkAuth.nonce();
    JsonObject welcome = new JsonObject().put("node", self).put("auth", auth.scheme()).put("nonce", ourNonce);
    if (auth.hasSecret()) {
      welcome.put("proof", auth.proof(LinkAuth.ACCEPTOR, node, self, acceptorAddress, theirNonce, ourNonce));
    }
    writeFrame(WELCOME, welcome.toBuffer());
  }

  /** Acceptor, second frame: the connector's proof. */
  private void proven(byte type, JsonObject proof) {
    if (type != PROOF) {
      reject(Reason.HANDSHAKE, "expected the proof after the hello, not a frame of type " + type);
      return;
    }
    if (auth.hasSecret() && !auth.verify(binary(proof, "proof"), LinkAuth.CONNECTOR, claimedNode, self,
        acceptorAddress, theirNonce, ourNonce)) {
      reject(Reason.AUTH, "node '" + clip(claimedNode) + "' did not prove the cluster secret (a different one?)");
      return;
    }
    remoteNode = claimedNode;
    becomeOpen();
  }

  /** Connector: the welcome must come from the node we meant, prove the secret when we have one, and gets our proof. */
  private void welcomed(byte type, JsonObject welcome) {
    if (type != WELCOME) {
      reject(Reason.HANDSHAKE, "expected a welcome, not a frame of type " + type);
      return;
    }
    String node = welcome.getString("node");
    if (!remoteNode.equals(node)) {
      reject(Reason.HANDSHAKE, "answered as node '" + clip(node) + "', not as node " + remoteNode
        + " whose advert named this address");
      return;
    }
    if (!schemeMatches(welcome)) {
      return;
    }
    byte[] nonce = nonce(welcome);
    if (nonce == null) {
      reject(Reason.HANDSHAKE, "the welcome has no " + LinkAuth.NONCE_BYTES + "-byte nonce");
      return;
    }
    JsonObject proof = new JsonObject();
    if (auth.hasSecret()) {
      if (!auth.verify(binary(welcome, "proof"), LinkAuth.ACCEPTOR, self, remoteNode, acceptorAddress, ourNonce,
          nonce)) {
        reject(Reason.AUTH, "node " + remoteNode + " did not prove the cluster secret for " + acceptorAddress
          + " (a different secret, or a relay?)");
        return;
      }
      proof.put("proof", auth.proof(LinkAuth.CONNECTOR, self, remoteNode, acceptorAddress, ourNonce, nonce));
    }
    writeFrame(PROOF, proof.toBuffer());
    becomeOpen();
  }

  private boolean schemeMatches(JsonObject frame) {
    String theirs = frame.getString("auth");
    if (auth.scheme().equals(theirs)) {
      return true;
    }
    reject(Reason.AUTH, auth.hasSecret()
      ? "the other side offers no proof of the cluster secret (auth '" + clip(theirs) + "'), and this node has one:"
        + " give every node the same cluster.secret"
      : "the other side proves a cluster secret (auth '" + clip(theirs) + "'), and this node has none:"
        + " give every node the same cluster.secret");
    return false;
  }

  private void becomeOpen() {
    open = true;
    vertx.cancelTimer(deadline);
    LOG.debug("{} open ({})", this, auth.scheme());
    opened.tryComplete(this);
  }

  private static byte[] nonce(JsonObject frame) {
    byte[] n = binary(frame, "nonce");
    return n != null && n.length == LinkAuth.NONCE_BYTES ? n : null;
  }

  /** A binary field, or null when absent or not base64. */
  private static byte[] binary(JsonObject frame, String key) {
    try {
      return frame.getBinary(key);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** A value quoted from a stranger's frame, cut short for the log. */
  private static String clip(Object value) {
    String s = String.valueOf(value);
    return s.length() <= 64 ? s : s.substring(0, 64) + "…";
  }

  private void reject(Reason reason, String why) {
    guard.reject(reason, address, "closing " + this + ": " + why);
    close();
  }

  @Override
  public String toString() {
    String peer = remoteNode != null ? "node " + remoteNode : claimedNode != null ? "node '" + clip(claimedNode) + "'"
      : "an unknown peer";
    return "link " + (outbound ? "to " : "from ") + peer + " (" + socket.remoteAddress() + ")";
  }
}
