package dev.beach.impl.transport;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;

import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A link listener written from the protocol in {@link NodeLink}'s comment, for tests: it accepts connections as
 * node {@code nodeId}, proves {@code secret} (or a wrong one, or answers as another node), and then records the
 * correlation numbers of the requests it reads; it answers each with its own name unless told to hold them, and
 * can write any reply on its connection.
 */
final class FakePeer {

  final String nodeId;
  /** The node id its welcome claims (its {@link #nodeId} unless a test makes it lie). */
  volatile String answerAs;
  /** The address its proof names; null: its own (a relay names the one it passes the handshake on to). */
  volatile String proveFor;
  final LinkAuth auth;
  volatile boolean autoReply = true;
  final LinkedBlockingQueue<Long> requests = new LinkedBlockingQueue<>();
  private final NetServer server;
  private volatile NetSocket connection;
  private final Envelope.Codec codec = new Envelope.Codec();

  private FakePeer(Vertx vertx, String nodeId, String cluster, String secret) {
    this.nodeId = nodeId;
    this.answerAs = nodeId;
    this.auth = new LinkAuth(cluster, secret);
    this.server = vertx.createNetServer().connectHandler(this::serve);
  }

  static FakePeer start(Vertx vertx, String nodeId, String cluster, String secret) throws Exception {
    FakePeer peer = new FakePeer(vertx, nodeId, cluster, secret);
    peer.server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    return peer;
  }

  int port() {
    return server.actualPort();
  }

  JsonObject advert() {
    return new JsonObject().put("host", "127.0.0.1").put("ports", new io.vertx.core.json.JsonArray().add(port()));
  }

  long nextRequest() throws InterruptedException {
    Long corr = requests.poll(10, TimeUnit.SECONDS);
    if (corr == null) {
      throw new AssertionError("no request reached fake node " + nodeId);
    }
    return corr;
  }

  /** Writes a reply to {@code corr} on this peer's connection. */
  void reply(long corr, Object body) {
    write(connection, Envelope.Frame.reply(corr, body));
  }

  private void write(NetSocket socket, Envelope.Frame frame) {
    Buffer out = Buffer.buffer().appendInt(0).appendByte(NodeLink.ENVELOPE);
    codec.encodeToWire(out, new Envelope(nodeId, List.of(frame)));
    socket.write(out.setInt(0, out.length() - 4));
  }

  private static void frame(NetSocket socket, byte type, JsonObject payload) {
    Buffer p = payload.toBuffer();
    socket.write(Buffer.buffer().appendInt(p.length() + 1).appendByte(type).appendBuffer(p));
  }

  private void serve(NetSocket socket) {
    byte[][] nonces = new byte[2][];
    String[] connector = new String[1];
    RecordParser parser = RecordParser.newFixed(4);
    int[] expected = {-1};
    parser.handler(record -> {
      if (expected[0] < 0) {
        expected[0] = record.getInt(0);
        parser.fixedSizeMode(expected[0]);
        return;
      }
      expected[0] = -1;
      parser.fixedSizeMode(4);
      byte type = record.getByte(0);
      if (type == NodeLink.HELLO) {
        JsonObject hello = new JsonObject(record.getBuffer(1, record.length()));
        connector[0] = hello.getString("node");
        nonces[0] = hello.getBinary("nonce");
        nonces[1] = LinkAuth.nonce();
        JsonObject welcome = new JsonObject().put("node", answerAs).put("auth", auth.scheme()).put("nonce", nonces[1]);
        if (auth.hasSecret()) {
          String address = proveFor != null ? proveFor : NodeLinks.address("127.0.0.1", port());
          welcome.put("proof", auth.proof(LinkAuth.ACCEPTOR, connector[0], answerAs, address, nonces[0], nonces[1]));
        }
        frame(socket, NodeLink.WELCOME, welcome);
      } else if (type == NodeLink.PROOF) {
        connection = socket;
      } else if (type == NodeLink.ENVELOPE) {
        Envelope e = codec.decodeFromWire(1, record);
        for (Envelope.Frame f : e.frames) {
          if (f.kind == Envelope.REQUEST) {
            requests.add(f.corr);
            if (autoReply) {
              write(socket, Envelope.Frame.reply(f.corr, nodeId));
            }
          }
        }
      }
    });
    socket.handler(parser);
  }

  void close() throws Exception {
    server.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }
}
