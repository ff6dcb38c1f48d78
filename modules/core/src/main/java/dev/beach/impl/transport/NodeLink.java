package dev.beach.impl.transport;

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
 * Frames are {@code [int length][byte type][payload]}. The connecting side first sends a {@link #HELLO}
 * ({@code {"v":1,"cluster":name,"node":id}}); anything else first, a wrong cluster name, an unknown type or a
 * length outside {@code 1..}{@link #MAX_FRAME} closes the connection: a stray client can neither reach actors
 * nor make a node buffer without bound.
 */
public final class NodeLink {

  private static final Logger LOG = LoggerFactory.getLogger(NodeLink.class);

  public static final byte HELLO = 1;
  public static final byte ENVELOPE = 2;
  public static final int VERSION = 1;
  /** The largest frame either side accepts; bigger envelopes take the event bus instead. */
  public static final int MAX_FRAME = 64 * 1024 * 1024;

  private static final Envelope.Codec CODEC = new Envelope.Codec();

  private final NetSocket socket;
  private final boolean outbound;
  private final String expectedCluster;
  private final Coalescer coalescer;
  private final RecordParser parser;
  private int expectedLength = -1;
  private boolean greeted;
  private volatile boolean closed;
  private volatile long lastActive = System.nanoTime();
  private String remoteNode;
  private Runnable onClose = () -> { };

  /** The turn-coalescing outbox of this connection: requests on an outbound link, replies on an inbound one. */
  final Coalescer.Outbox outbox;

  private NodeLink(NetSocket socket, boolean outbound, String peerNode, String expectedCluster, Coalescer coalescer) {
    this.socket = socket;
    this.outbound = outbound;
    this.remoteNode = peerNode;
    this.expectedCluster = expectedCluster;
    this.coalescer = coalescer;
    this.outbox = coalescer.linkOutbox(this);
    this.greeted = outbound;
    this.parser = RecordParser.newFixed(4, this::onRecord);
    socket.handler(parser);
    socket.closeHandler(v -> {
      closed = true;
      onClose.run();
    });
    socket.exceptionHandler(t -> LOG.debug("link {} {}: {}", outbound ? "to" : "from", remoteNode, t.toString()));
  }

  /** The connecting side: says hello at once, then carries requests and reads replies. */
  static NodeLink outbound(NetSocket socket, String peerNode, String cluster, String self, Coalescer coalescer) {
    NodeLink link = new NodeLink(socket, true, peerNode, null, coalescer);
    Buffer hello = new JsonObject().put("v", VERSION).put("cluster", cluster).put("node", self).toBuffer();
    link.writeFrame(HELLO, hello);
    return link;
  }

  /** The accepting side: waits for a hello naming {@code cluster}, then reads requests and carries replies. */
  static NodeLink inbound(NetSocket socket, String cluster, Coalescer coalescer) {
    return new NodeLink(socket, false, null, cluster, coalescer);
  }

  NodeLink onClose(Runnable action) {
    this.onClose = action;
    return this;
  }

  boolean isClosed() {
    return closed;
  }

  boolean isOutbound() {
    return outbound;
  }

  /** The node at the other end (known to inbound links once greeted). */
  String peerNode() {
    return remoteNode;
  }

  /**
   * Writes one envelope; false when it cannot travel here (link closed, or larger than {@link #MAX_FRAME}),
   * and the caller then sends it another way.
   */
  boolean write(Envelope envelope) {
    if (closed) {
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
    closed = true;
    socket.close();
  }

  /** Nanoseconds since anything was written or read here. */
  long idleNanos() {
    return System.nanoTime() - lastActive;
  }

  private void onRecord(Buffer record) {
    lastActive = System.nanoTime();
    if (expectedLength < 0) {
      int length = record.getInt(0);
      if (length < 1 || length > MAX_FRAME) {
        reject("frame length " + length + " is outside 1.." + MAX_FRAME);
        return;
      }
      expectedLength = length;
      parser.fixedSizeMode(length);
      return;
    }
    expectedLength = -1;
    parser.fixedSizeMode(4);
    byte type = record.getByte(0);
    try {
      if (!greeted) {
        greet(type, record);
      } else if (type == ENVELOPE) {
        // Links carry requests one way: what arrives on one we opened are replies, with nowhere to answer.
        coalescer.onEnvelope(CODEC.decodeFromWire(1, record), outbound ? null : outbox);
      } else {
        reject("unexpected frame type " + type);
      }
    } catch (RuntimeException e) {
      reject("unreadable frame: " + e);
    }
  }

  private void greet(byte type, Buffer record) {
    if (type != HELLO) {
      reject("the first frame must be a hello, not type " + type);
      return;
    }
    JsonObject hello = new JsonObject(record.getBuffer(1, record.length()));
    if (hello.getInteger("v", 0) != VERSION || !expectedCluster.equals(hello.getString("cluster"))) {
      reject("hello " + hello.encode() + " is not version " + VERSION + " of cluster '" + expectedCluster + "'");
      return;
    }
    remoteNode = hello.getString("node");
    greeted = true;
  }

  private void reject(String why) {
    LOG.warn("closing node link {} {} ({}): {}", outbound ? "to" : "from",
      remoteNode != null ? remoteNode : String.valueOf(socket.remoteAddress()), socket.remoteAddress(), why);
    close();
  }

  @Override
  public String toString() {
    return "link " + (outbound ? "to " : "from ") + remoteNode + " (" + socket.remoteAddress() + ")";
  }
}
