package dev.beach.impl.transport;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EnvelopeCodecTest {

  @Test
  void everyFrameKindAndBodyTypeSurvivesTheWire() {
    List<Object> bodies = Arrays.asList(null, new JsonObject().put("a", 1).put("é", "ü"), new JsonArray().add(1).add("x"),
      "text ✓", Buffer.buffer(new byte[]{0, 1, 2, (byte) 255}), 42L, 7, 3.5d, true, 1.5f, (short) 3, (byte) 9);
    List<Envelope.Frame> frames = new ArrayList<>();
    long corr = 0;
    for (Object body : bodies) {
      frames.add(new Envelope.Frame(Envelope.REQUEST, ++corr, "n-1", corr % 2 == 0 ? null : "a.b", "op", "id" + corr,
        null, "k", 123L, body));
      frames.add(Envelope.Frame.reply(++corr, body));
    }
    frames.add(new Envelope.Frame(Envelope.SHOOT, ++corr, "n-2", "c", "fire", "id", "me", null, 0, null));
    frames.add(Envelope.Frame.failure(++corr, "{\"code\":503,\"message\":\"gone\"}"));

    Envelope.Codec codec = new Envelope.Codec();
    Buffer wire = Buffer.buffer();
    codec.encodeToWire(wire, new Envelope("node-a", frames));
    Envelope back = codec.decodeFromWire(0, wire);

    assertEquals("node-a", back.from);
    assertEquals(frames.size(), back.frames.size());
    for (int i = 0; i < frames.size(); i++) {
      Envelope.Frame a = frames.get(i);
      Envelope.Frame b = back.frames.get(i);
      assertEquals(a.kind, b.kind);
      assertEquals(a.corr, b.corr);
      assertEquals(a.actor, b.actor);
      assertEquals(a.category, b.category);
      assertEquals(a.op, b.op);
      assertEquals(a.id, b.id);
      assertEquals(a.ident, b.ident);
      assertEquals(a.key, b.key);
      assertEquals(a.deadline, b.deadline);
      assertEquals(a.body, b.body, "frame " + i);
    }
    assertNull(back.frames.get(0).body);
  }

  @Test
  void aBodyThatIsNotAWireValueIsRefused() {
    Envelope e = new Envelope("n", List.of(Envelope.Frame.reply(1, new Object())));
    assertThrows(IllegalArgumentException.class, () -> new Envelope.Codec().encodeToWire(Buffer.buffer(), e));
  }

  // Each malformed frame below fails with the decoder's own error, naming what was wrong and where.

  private static final Envelope.Codec CODEC = new Envelope.Codec();

  /** The sender "n" and a frame count: the start of every envelope below (9 bytes). */
  private static Buffer head(int count) {
    return Buffer.buffer().appendInt(1).appendString("n").appendInt(count);
  }

  private static Envelope.MalformedEnvelopeException refused(Buffer wire, String problem, int offset) {
    Envelope.MalformedEnvelopeException e = null;
    try {
      CODEC.decodeFromWire(0, wire);
    } catch (Envelope.MalformedEnvelopeException expected) {
      e = expected;
    } catch (Throwable other) {
      // Reported, not rethrown: an OutOfMemoryError from a claimed size would otherwise end the test JVM.
      throw new AssertionError("the decoder threw " + other + ", not its own error", other);
    }
    if (e == null) {
      throw new AssertionError("decoded, though " + problem);
    }
    assertTrue(e.getMessage().contains(problem), e.getMessage());
    assertEquals(offset, e.offset(), e.getMessage());
    return e;
  }

  @Test
  void aSmallFrameAskingForAHugeFrameCountIsRefusedBeforeAnyAllocation() {
    // 20 bytes that once asked for an array of 2^31-1 frames.
    Buffer wire = head(Integer.MAX_VALUE).appendBytes(new byte[11]);
    assertEquals(20, wire.length());
    refused(wire, "frame count 2147483647 does not fit the 11 bytes left", 5);
    refused(head(-1), "frame count -1", 5);
    // One frame takes at least 10 bytes: 19 bytes cannot hold two.
    refused(head(2).appendBytes(new byte[19]), "frame count 2", 5);
  }

  @Test
  void stringLengthsMustBeMinusOneOrFitTheBytesLeft() {
    refused(Buffer.buffer().appendInt(1_000_000).appendString("n"), "sender length 1000000 does not fit the 1 bytes left", 0);
    refused(Buffer.buffer().appendInt(-2), "sender length -2", 0);
    refused(Buffer.buffer().appendInt(-1).appendInt(0), "must name the node it comes from", 0);
    Buffer request = head(1).appendByte(Envelope.REQUEST).appendLong(1).appendInt(-1).appendInt(Integer.MAX_VALUE);
    refused(request, "category length 2147483647", 22);
    refused(head(1).appendByte(Envelope.REQUEST).appendLong(1).appendInt(Integer.MIN_VALUE), "actor length -2147483648", 18);
  }

  @Test
  void bodyLengthsMustFitTheBytesLeft() {
    for (byte tag = 1; tag <= 4; tag++) {
      refused(head(1).appendByte(Envelope.OK).appendLong(1).appendByte(tag).appendInt(Integer.MAX_VALUE),
        "length 2147483647 does not fit the 0 bytes left", 19);
      refused(head(1).appendByte(Envelope.OK).appendLong(1).appendByte(tag).appendInt(-5).appendBytes(new byte[8]),
        "length -5", 19);
    }
  }

  @Test
  void unknownKindsAndTagsAreRefused() {
    refused(head(1).appendByte((byte) 9).appendLong(1).appendByte((byte) 0), "unknown frame kind 9", 9);
    refused(head(1).appendByte(Envelope.OK).appendLong(1).appendByte((byte) 12), "unknown body tag 12", 18);
    refused(head(1).appendByte(Envelope.OK).appendLong(1).appendByte((byte) -1), "unknown body tag -1", 18);
  }

  @Test
  void fixedWidthFieldsCutShortAreRefused() {
    refused(Buffer.buffer().appendShort((short) 0), "sender length needs 4 bytes, 2 left", 0);
    // The count fits (20 bytes, two frames) but the first frame leaves the second too little.
    refused(head(2).appendByte(Envelope.OK).appendLong(1).appendByte((byte) 6).appendInt(7)
      .appendByte(Envelope.OK).appendBytes(new byte[5]), "correlation id needs 8 bytes, 5 left", 24);
    refused(head(1).appendByte(Envelope.OK).appendLong(1).appendByte((byte) 5).appendInt(1)
      .appendBytes(new byte[2]), "long body needs 8 bytes, 6 left", 19);
    Buffer request = head(1).appendByte(Envelope.SHOOT).appendLong(1);
    for (int i = 0; i < 6; i++) {
      request.appendInt(-1);
    }
    refused(request.appendShort((short) 0), "deadline needs 8 bytes, 2 left", 42);
    // Every prefix of a good envelope is a bad one.
    Buffer good = Buffer.buffer();
    CODEC.encodeToWire(good, new Envelope("node-a", List.of(
      new Envelope.Frame(Envelope.REQUEST, 1, "a", "c", "op", "id", "me", "k", 9, new JsonObject().put("x", 1)),
      Envelope.Frame.reply(2, 2.5d), Envelope.Frame.failure(3, "{\"code\":409}"))));
    for (int n = 0; n < good.length(); n++) {
      Buffer cut = good.getBuffer(0, n);
      assertThrows(Envelope.MalformedEnvelopeException.class, () -> CODEC.decodeFromWire(0, cut), "prefix " + n);
    }
  }

  @Test
  void bytesAfterTheLastFrameAreRefused() {
    refused(head(1).appendByte(Envelope.OK).appendLong(1).appendByte((byte) 0).appendByte((byte) 0),
      "1 bytes follow the last of 1 frames", 19);
  }

  @Test
  void jsonBodiesThatDoNotParseAreRefused() {
    Buffer notJson = Buffer.buffer("{\"a\":");
    Envelope.MalformedEnvelopeException e = refused(
      head(1).appendByte(Envelope.OK).appendLong(1).appendByte((byte) 1).appendInt(notJson.length()).appendBuffer(notJson),
      "unreadable JSON object", 18);
    assertTrue(e.getCause() != null);
    Buffer array = Buffer.buffer("[1]");
    refused(head(1).appendByte(Envelope.OK).appendLong(1).appendByte((byte) 1).appendInt(3).appendBuffer(array),
      "unreadable JSON object", 18);
    Buffer object = Buffer.buffer("{}");
    refused(head(1).appendByte(Envelope.OK).appendLong(1).appendByte((byte) 2).appendInt(2).appendBuffer(object),
      "unreadable JSON array", 18);
    Buffer nul = Buffer.buffer("null");
    refused(head(1).appendByte(Envelope.OK).appendLong(1).appendByte((byte) 1).appendInt(4).appendBuffer(nul),
      "unreadable JSON object", 18);
  }

  @Test
  void deeplyNestedJsonIsRefusedNotAStackOverflow() {
    Buffer deep = Buffer.buffer("[".repeat(100_000));
    refused(head(1).appendByte(Envelope.OK).appendLong(1).appendByte((byte) 2).appendInt(deep.length()).appendBuffer(deep),
      "unreadable JSON array", 18);
  }

  @Test
  void aFailureMustCarryAJsonObjectAsText() {
    refused(head(1).appendByte(Envelope.FAIL).appendLong(1).appendByte((byte) 6).appendInt(503),
      "a failure's body must be JSON text, not a Integer", 18);
    refused(head(1).appendByte(Envelope.FAIL).appendLong(1).appendByte((byte) 0), "a failure's body must be JSON text", 18);
    refused(head(1).appendByte(Envelope.FAIL).appendLong(1).appendByte((byte) 3).appendInt(4).appendString("gone"),
      "a failure's body is not a JSON object", 18);
  }

  @Test
  void aStartOutsideTheBufferIsRefused() {
    Buffer wire = head(0);
    assertEquals(0, CODEC.decodeFromWire(9, Buffer.buffer(new byte[9]).appendBuffer(wire)).frames.size());
    assertThrows(Envelope.MalformedEnvelopeException.class, () -> CODEC.decodeFromWire(10, wire));
    assertThrows(Envelope.MalformedEnvelopeException.class, () -> CODEC.decodeFromWire(-1, wire));
  }
}
