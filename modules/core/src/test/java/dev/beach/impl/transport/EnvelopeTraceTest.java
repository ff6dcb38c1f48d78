package dev.beach.impl.transport;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** W3C trace context in envelope frames: carried when present, and costing no byte when absent. */
class EnvelopeTraceTest {

  private static final Envelope.Codec CODEC = new Envelope.Codec();
  private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  private static Buffer encode(Envelope.Frame... frames) {
    Buffer out = Buffer.buffer();
    CODEC.encodeToWire(out, new Envelope("node-a", List.of(frames)));
    return out;
  }

  private static Envelope.Frame request(String traceparent, String tracestate) {
    return new Envelope.Frame(Envelope.REQUEST, 7, "actor-1", "cat", "op", "req-1", null, null, 42,
      new JsonObject().put("a", 1), traceparent, tracestate);
  }

  @Test
  void traceContextRoundTripsWithTheRequest() {
    Envelope e = CODEC.decodeFromWire(0, encode(request(TRACEPARENT, "k=v"), request(TRACEPARENT, null)));
    Envelope.Frame f = e.frames.get(0);
    assertEquals(Envelope.REQUEST, f.kind);
    assertEquals(TRACEPARENT, f.traceparent);
    assertEquals("k=v", f.tracestate);
    assertEquals("op", f.op);
    assertEquals(new JsonObject().put("a", 1), f.body);
    assertEquals(TRACEPARENT, e.frames.get(1).traceparent);
    assertNull(e.frames.get(1).tracestate);
  }

  @Test
  void anUntracedFrameCostsNoExtraByte() {
    Buffer untraced = encode(request(null, null));
    Buffer before = encode(new Envelope.Frame(Envelope.REQUEST, 7, "actor-1", "cat", "op", "req-1", null, null, 42,
      new JsonObject().put("a", 1)));
    assertEquals(before, untraced);
    Envelope.Frame f = CODEC.decodeFromWire(0, untraced).frames.get(0);
    assertNull(f.traceparent);
    assertTrue(encode(request(TRACEPARENT, null)).length() > untraced.length());
  }

  @Test
  void aTracedFlagOnAReplyIsRefused() {
    Buffer reply = encode(Envelope.Frame.reply(3, null));
    int kindAt = 4 + "node-a".length() + 4;
    reply.setByte(kindAt, (byte) (Envelope.OK | Envelope.TRACED));
    Envelope.MalformedEnvelopeException e = assertThrows(Envelope.MalformedEnvelopeException.class,
      () -> CODEC.decodeFromWire(0, reply));
    assertEquals(kindAt, e.offset());
  }

  @Test
  void aTracedRequestWithoutTraceparentIsRefused() {
    Buffer b = Buffer.buffer();
    Buffer traced = encode(request(TRACEPARENT, null));
    // Cut the traceparent out: a null length in its place.
    int tpAt = traced.length() - (4 + TRACEPARENT.length()) - 4 - (1 + 4 + new JsonObject().put("a", 1).toBuffer().length());
    b.appendBuffer(traced, 0, tpAt).appendInt(-1).appendBuffer(traced, tpAt + 4 + TRACEPARENT.length(),
      traced.length() - tpAt - 4 - TRACEPARENT.length());
    Envelope.MalformedEnvelopeException e = assertThrows(Envelope.MalformedEnvelopeException.class,
      () -> CODEC.decodeFromWire(0, b));
    assertTrue(e.getMessage().contains("traceparent"), e.getMessage());
  }
}
