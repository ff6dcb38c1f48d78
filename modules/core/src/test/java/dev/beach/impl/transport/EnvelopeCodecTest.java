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
}
