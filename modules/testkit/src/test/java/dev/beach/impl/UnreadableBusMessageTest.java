package dev.beach.impl;

import dev.beach.ActorSpec;
import dev.beach.Address;
import dev.beach.BeachException;
import dev.beach.BeachNode;
import dev.beach.ErrorCode;
import dev.beach.Placement;
import dev.beach.behaviour.TestActors;
import dev.beach.impl.transport.Envelope;
import dev.beach.testkit.Await;
import dev.beach.testkit.TestCluster;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A peer on the event bus that sends bytes which are not an envelope (under the envelope codec's name) gets a
 * 400 at once when it waits for an answer, and the node it sent them to keeps serving.
 */
class UnreadableBusMessageTest {

  private TestCluster cluster;

  @AfterEach
  void tearDown() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** Bytes sent as they are, under the envelope codec's name: what a broken or hostile peer can put on the bus. */
  private static final class Raw {
    final Buffer bytes;

    Raw(Buffer bytes) {
      this.bytes = bytes;
    }
  }

  private static final class RawCodec implements MessageCodec<Raw, Raw> {
    @Override
    public void encodeToWire(Buffer out, Raw raw) {
      out.appendBuffer(raw.bytes);
    }

    @Override
    public Raw decodeFromWire(int pos, Buffer in) {
      return new Raw(in.getBuffer(pos, in.length()));
    }

    @Override
    public Raw transform(Raw raw) {
      return raw;
    }

    @Override
    public String name() {
      return Envelope.Codec.NAME;
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }
  }

  @Test
  void malformedEnvelopesAreAnswered400AndTheNodeKeepsServing() {
    cluster = TestCluster.start(2);
    BeachNode sender = cluster.node(0);
    BeachNode host = cluster.node(1);
    Await.result(sender.beach().deploy(ActorSpec.of("bus", TestActors.Echo.class, "echo")
      .setPlacement(Placement.nodeId(host.id()))));
    List<Buffer> bad = List.of(
      // 20 bytes asking for 2^31-1 frames
      Buffer.buffer().appendInt(1).appendString("n").appendInt(Integer.MAX_VALUE).appendBytes(new byte[11]),
      Buffer.buffer(new byte[]{1, 2, 3}),
      Buffer.buffer().appendInt(1).appendString("n").appendInt(1).appendByte(Envelope.OK).appendLong(1)
        .appendByte((byte) 1).appendInt(2).appendString("{]"));

    // The sender's own envelope codec steps aside for the raw one while the bad bytes go out.
    EventBus bus = sender.vertx().eventBus();
    bus.unregisterDefaultCodec(Envelope.class);
    bus.registerCodec(new RawCodec());
    try {
      DeliveryOptions raw = new DeliveryOptions().setCodecName(Envelope.Codec.NAME).setSendTimeout(20_000);
      for (Buffer bytes : bad) {
        bus.send(Address.node(host.id()), new Raw(bytes), raw);
        long start = System.nanoTime();
        BeachException e = Await.failure(bus.request(Address.node(host.id()), new Raw(bytes), raw));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertEquals(ErrorCode.BAD_REQUEST, e.code(), e.toString());
        assertTrue(e.getMessage().contains("unreadable message"), e.getMessage());
        assertTrue(ms < 10_000, "answered after " + ms + " ms, not at once");
      }
    } finally {
      bus.unregisterCodec(Envelope.Codec.NAME);
      bus.registerDefaultCodec(Envelope.class, new Envelope.Codec());
    }

    JsonObject r = Await.result(sender.beach().handle("bus", "echo").request("whoami", null));
    assertEquals(host.id(), r.getString("node"));
  }
}
