package dev.beach.impl.transport;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The envelope decoder against random bytes, random envelopes and mutations of valid ones: it decodes or
 * throws its own {@link Envelope.MalformedEnvelopeException}, never anything else, and what it makes (and
 * allocates) is bounded by the frame it was given. Tries per property: {@code jqwik.tries.default} in
 * {@code junit-platform.properties}, raised by the {@code fuzz} Maven profile.
 */
class EnvelopeFuzzTest {

  private static final Envelope.Codec CODEC = new Envelope.Codec();
  private static final com.sun.management.ThreadMXBean THREADS =
    (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  /**
   * Allocation allowed per decode: a multiple of the frame's size plus a constant. Decoded objects cost more
   * than their bytes (a one-byte JSON value is a boxed number and a slot), and a refused JSON body carries
   * the parser's exception; what must never happen is an allocation sized by a count or length the frame
   * merely claims.
   */
  static final int ALLOCATION_PER_BYTE = 64;
  static final int ALLOCATION_SLACK = 64 * 1024;

  // Built once: arbitraries are descriptions, and building the nested JSON ones per sample is slow.
  private static final Arbitrary<String> TEXT = text();
  private static final Arbitrary<Object> BODIES = bodies();
  private static final Arbitrary<Envelope> ENVELOPES = Combinators.combine(TEXT, frames().list().ofMaxSize(4))
    .as(Envelope::new);

  @BeforeContainer
  static void warmUp() {
    // Class loading and the JSON parser's first buffers are allocated once, not per frame.
    for (int i = 0; i < 200; i++) {
      CODEC.decodeFromWire(0, encode(new Envelope("warm", List.of(Envelope.Frame.reply(i, new JsonObject().put("a", i)),
        Envelope.Frame.reply(i, new JsonArray().add(i)), Envelope.Frame.failure(i, "{\"code\":500}")))));
      try {
        CODEC.decodeFromWire(0, Buffer.buffer().appendInt(1).appendString("n").appendInt(1).appendByte(Envelope.OK)
          .appendLong(1).appendByte((byte) 1).appendInt(2).appendString("{]"));
      } catch (RuntimeException expected) {
        // warmed (whether it is the decoder's own error is for the properties to say)
      }
    }
  }

  // --- (a) random bytes -------------------------------------------------------------------------------

  @Property
  void randomBytesDecodeOrFailWithTheDecodersOwnError(@ForAll("randomBytes") byte[] frame) {
    decodeWithinBounds(frame, 0);
  }

  /** Random frames that get past the first fields: plausible headers, then tokens of interesting values. */
  @Property
  void randomTokensDecodeOrFailWithTheDecodersOwnError(@ForAll("tokenFrames") byte[] frame) {
    decodeWithinBounds(frame, 0);
  }

  // --- (b) valid envelopes round-trip -----------------------------------------------------------------

  @Property
  void everyValidEnvelopeRoundTripsExactly(@ForAll("envelopes") Envelope sent, @ForAll("prefixes") byte[] prefix) {
    byte[] wire = Buffer.buffer(prefix).appendBuffer(encode(sent)).getBytes();
    Envelope got = decodeWithinBounds(wire, prefix.length);
    assertTrue(got != null, "a valid envelope was refused");
    assertSame(sent, got);
  }

  // --- (c) mutated valid encodings --------------------------------------------------------------------

  @Property
  void mutatedEnvelopesDecodeOrFailWithTheDecodersOwnError(@ForAll("envelopes") Envelope sent,
      @ForAll("mutations") List<Mutation> mutations, @ForAll("prefixes") byte[] prefix) {
    byte[] wire = encode(sent).getBytes();
    for (Mutation m : mutations) {
      wire = m.apply(wire);
    }
    decodeWithinBounds(Buffer.buffer(prefix).appendBytes(wire).getBytes(), prefix.length);
  }

  /** Every 4-byte window of a rich envelope replaced by a huge, negative or off-by-one length. */
  @Example
  void everyLengthReplacedByAnAbsurdValueIsRefusedOrHarmless() {
    List<Envelope.Frame> frames = new ArrayList<>();
    long corr = 0;
    for (Object body : richBodies()) {
      frames.add(++corr % 2 == 0 ? Envelope.Frame.reply(corr, body)
        : new Envelope.Frame(Envelope.REQUEST, corr, "actor-1", "a.b", "op", "id", "me", "key", 5, body));
    }
    frames.add(Envelope.Frame.failure(++corr, "{\"code\":409,\"message\":\"no\"}"));
    byte[] good = encode(new Envelope("node-a", frames)).getBytes();
    int[] absurd = {Integer.MIN_VALUE, -2, -1, 0, 1, 1 << 20, 1 << 30, Integer.MAX_VALUE, good.length, good.length + 1};
    for (int at = 0; at + 4 <= good.length; at++) {
      for (int value : absurd) {
        byte[] bad = good.clone();
        ByteBuffer.wrap(bad).putInt(at, value);
        decodeWithinBounds(bad, 0);
      }
    }
  }

  /**
   * The JSON shapes that cost the most per byte (measured: nesting ≈70 bytes per byte, small numbers ≈40,
   * empty objects ≈25), large enough that the constant slack cannot hide a per-byte cost.
   */
  @Example
  void theCostliestJsonBodiesStillAllocateInProportionToTheirSize() {
    int n = 100_000;
    String[] shapes = {"[" + "1e5,".repeat(n) + "0]", "[" + "{},".repeat(n) + "{}]", "[" + "[],".repeat(n) + "[]]",
      "[" + "\"\",".repeat(n) + "\"\"]", "[".repeat(990) + "]".repeat(990), "[".repeat(5_000), "[" + "0,".repeat(n)};
    for (String shape : shapes) {
      Buffer json = Buffer.buffer(shape);
      byte[] frame = Buffer.buffer().appendInt(1).appendString("n").appendInt(1).appendByte(Envelope.OK).appendLong(1)
        .appendByte((byte) 2).appendInt(json.length()).appendBuffer(json).getBytes();
      decodeWithinBounds(frame, 0);
    }
  }

  // --- (d) the bounds every decode is held to ---------------------------------------------------------

  /**
   * Decodes {@code frame} from {@code pos}: a refusal must be the decoder's own error pointing inside the
   * frame; an envelope must be no larger than the frame (its text and bytes each took a byte of it at least);
   * and the decode must have allocated no more than {@link #ALLOCATION_PER_BYTE} per byte plus the slack.
   *
   * @return the envelope, or null when the frame was refused
   */
  static Envelope decodeWithinBounds(byte[] frame, int pos) {
    Buffer in = Buffer.buffer(frame);
    int size = frame.length - pos;
    long allowed = (long) ALLOCATION_PER_BYTE * size + ALLOCATION_SLACK;
    long allocated = allocatedBy(() -> decode(in, pos));
    if (allocated > allowed) {
      // The first pass down a path links its string concatenations and loads its classes, once per JVM:
      // the second decode of the same frame is the one that tells what a frame costs.
      allocated = allocatedBy(() -> decode(in, pos));
    }
    assertTrue(allocated <= allowed, "decoding " + size + " bytes allocated " + allocated);
    Envelope e = decode(in, pos);
    if (e != null) {
      long made = decodedSize(e);
      assertTrue(made <= size, "an envelope of " + made + " chars, bytes and frames from " + size + " bytes");
    }
    return e;
  }

  /** The envelope, or null when the decoder refused the frame with its own error, pointing inside the frame. */
  private static Envelope decode(Buffer in, int pos) {
    try {
      return CODEC.decodeFromWire(pos, in);
    } catch (Envelope.MalformedEnvelopeException refused) {
      assertTrue(refused.offset() >= pos && refused.offset() <= in.length(),
        "offset " + refused.offset() + " outside " + pos + ".." + in.length() + ": " + refused.getMessage());
      return null;
    } catch (Throwable other) {
      // Reported, not rethrown: an OutOfMemoryError from a claimed size would otherwise end the test JVM.
      throw new AssertionError("the decoder threw " + other + ", not its own error", other);
    }
  }

  private static long allocatedBy(Runnable work) {
    long before = THREADS.getCurrentThreadAllocatedBytes();
    work.run();
    return THREADS.getCurrentThreadAllocatedBytes() - before;
  }

  /** Chars of text, bytes of buffers and frames in {@code e}: each needs at least one byte of the frame. */
  private static long decodedSize(Envelope e) {
    long n = e.from.length() + e.frames.size();
    for (Envelope.Frame f : e.frames) {
      for (String s : new String[]{f.actor, f.category, f.op, f.id, f.ident, f.key}) {
        n += s == null ? 0 : s.length();
      }
      n += sizeOf(f.body);
    }
    return n;
  }

  private static long sizeOf(Object v) {
    if (v instanceof String) {
      return ((String) v).length();
    }
    if (v instanceof Buffer) {
      return ((Buffer) v).length();
    }
    long n = 0;
    if (v instanceof JsonObject) {
      for (Map.Entry<String, Object> entry : (JsonObject) v) {
        n += 1 + entry.getKey().length() + sizeOf(entry.getValue());
      }
    } else if (v instanceof JsonArray) {
      for (Object item : (JsonArray) v) {
        n += 1 + sizeOf(item);
      }
    }
    return n;
  }

  private static Buffer encode(Envelope e) {
    Buffer out = Buffer.buffer();
    CODEC.encodeToWire(out, e);
    return out;
  }

  private static void assertSame(Envelope a, Envelope b) {
    assertEquals(a.from, b.from);
    assertEquals(a.frames.size(), b.frames.size());
    for (int i = 0; i < a.frames.size(); i++) {
      Envelope.Frame x = a.frames.get(i);
      Envelope.Frame y = b.frames.get(i);
      assertEquals(x.kind, y.kind);
      assertEquals(x.corr, y.corr);
      assertEquals(x.actor, y.actor);
      assertEquals(x.category, y.category);
      assertEquals(x.op, y.op);
      assertEquals(x.id, y.id);
      assertEquals(x.ident, y.ident);
      assertEquals(x.key, y.key);
      assertEquals(x.deadline, y.deadline);
      assertEquals(x.body, y.body, "frame " + i);
      if (x.body != null) {
        assertEquals(x.body.getClass(), y.body.getClass(), "frame " + i);
      }
    }
  }

  private static List<Object> richBodies() {
    List<Object> bodies = new ArrayList<>();
    bodies.add(null);
    bodies.add(new JsonObject().put("a", 1).put("b", new JsonArray().add("x").add(new JsonObject().put("c", true))));
    bodies.add(new JsonArray().add(1).add("two").addNull());
    bodies.add("text ✓");
    bodies.add(Buffer.buffer(new byte[]{0, 1, 2, (byte) 255}));
    bodies.add(42L);
    bodies.add(7);
    bodies.add(3.5d);
    bodies.add(true);
    bodies.add(1.5f);
    bodies.add((short) 3);
    bodies.add((byte) 9);
    return bodies;
  }

  // --- generators -------------------------------------------------------------------------------------

  @Provide
  Arbitrary<byte[]> randomBytes() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(256);
  }

  @Provide
  Arbitrary<byte[]> prefixes() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(8);
  }

  /** A plausible sender and count, then a run of ints, kinds, tags and raw bytes. */
  @Provide
  Arbitrary<byte[]> tokenFrames() {
    Arbitrary<byte[]> token = Arbitraries.oneOf(List.of(
      interestingInts().map(i -> Buffer.buffer().appendInt(i).getBytes()),
      Arbitraries.bytes().between((byte) -1, (byte) 12).map(b -> new byte[]{b}),
      Arbitraries.longs().map(l -> Buffer.buffer().appendLong(l).getBytes()),
      Arbitraries.strings().ofMaxLength(6).map(s -> Buffer.buffer().appendInt(s.length()).appendString(s).getBytes()),
      Arbitraries.bytes().array(byte[].class).ofMaxSize(6)));
    return Combinators.combine(interestingInts(), token.list().ofMaxSize(24)).as((count, tokens) -> {
      Buffer b = Buffer.buffer().appendInt(4).appendString("node").appendInt(count);
      tokens.forEach(b::appendBytes);
      return b.getBytes();
    });
  }

  private static Arbitrary<Integer> interestingInts() {
    return Arbitraries.oneOf(List.of(
      Arbitraries.of(Integer.MIN_VALUE, -2, -1, 0, 1, 2, 3, 4, 8, 255, 1 << 16, 1 << 24, 1 << 30, Integer.MAX_VALUE),
      Arbitraries.integers().between(-1, 64),
      Arbitraries.integers()));
  }

  @Provide
  Arbitrary<Envelope> envelopes() {
    return ENVELOPES;
  }

  private static Arbitrary<Envelope.Frame> frames() {
    Arbitrary<Long> corr = Arbitraries.longs();
    Arbitrary<Envelope.Frame> requests = Combinators.combine(Arbitraries.of(Envelope.REQUEST, Envelope.SHOOT), corr,
        TEXT.injectNull(0.25).list().ofSize(6), Arbitraries.longs(), BODIES)
      .as((kind, c, f, deadline, body) -> new Envelope.Frame(kind, c, f.get(0), f.get(1), f.get(2), f.get(3), f.get(4),
        f.get(5), deadline, body));
    Arbitrary<Envelope.Frame> replies = Combinators.combine(corr, BODIES).as(Envelope.Frame::reply);
    Arbitrary<Envelope.Frame> failures = Combinators.combine(corr, jsonObjects(1).map(JsonObject::encode))
      .as(Envelope.Frame::failure);
    return Arbitraries.oneOf(List.of(requests, replies, failures));
  }

  /** One of every body type the codec carries. */
  private static Arbitrary<Object> bodies() {
    return Arbitraries.oneOf(List.<Arbitrary<?>>of(
      jsonObjects(2), jsonArrays(2), TEXT,
      Arbitraries.bytes().array(byte[].class).ofMaxSize(64).map(Buffer::buffer),
      Arbitraries.longs(), Arbitraries.integers(),
      Arbitraries.doubles().withSpecialValue(Double.NaN).withSpecialValue(Double.NEGATIVE_INFINITY).withSpecialValue(-0.0d),
      Arbitraries.of(true, false),
      Arbitraries.floats().withSpecialValue(Float.NaN).withSpecialValue(Float.POSITIVE_INFINITY),
      Arbitraries.shorts(), Arbitraries.bytes())).injectNull(0.05);
  }

  private static Arbitrary<JsonObject> jsonObjects(int depth) {
    return Arbitraries.maps(TEXT, jsonValues(depth - 1)).ofMaxSize(4)
      .map(m -> new JsonObject(new java.util.LinkedHashMap<>(m)));
  }

  private static Arbitrary<JsonArray> jsonArrays(int depth) {
    return jsonValues(depth - 1).list().ofMaxSize(4).map(l -> new JsonArray(new ArrayList<>(l)));
  }

  /** JSON values as they read back: ints, longs beyond int range, finite doubles, text, booleans, null. */
  private static Arbitrary<Object> jsonValues(int depth) {
    List<Arbitrary<?>> choices = new ArrayList<>(List.of(
      Arbitraries.integers(), Arbitraries.longs().greaterOrEqual(1L + Integer.MAX_VALUE),
      Arbitraries.doubles().between(-1e12, 1e12), TEXT, Arbitraries.of(true, false)));
    if (depth > 0) {
      choices.add(jsonObjects(depth));
      choices.add(jsonArrays(depth));
    }
    return Arbitraries.oneOf(choices).injectNull(0.1);
  }

  /** Text that UTF-8 carries exactly: any char but a lone surrogate, and now and then a pair. */
  private static Arbitrary<String> text() {
    Arbitrary<String> bmp = Arbitraries.strings().withCharRange('\u0000', '\ud7ff').withCharRange('\ue000', '\uffff')
      .ofMaxLength(12);
    return Combinators.combine(bmp, Arbitraries.of("", "", "", "😀", "𝄞x")).as(String::concat);
  }

  @Provide
  Arbitrary<List<Mutation>> mutations() {
    Arbitrary<Double> where = Arbitraries.doubles().between(0, 1);
    Arbitrary<Mutation> one = Arbitraries.oneOf(List.of(
      Combinators.combine(where, Arbitraries.integers().between(0, 7)).as(Mutation::flip),
      where.map(Mutation::truncate),
      Combinators.combine(where, Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(8)).as(Mutation::insert),
      Combinators.combine(where, Arbitraries.integers().between(1, 8)).as(Mutation::delete),
      Combinators.combine(where, interestingInts()).as(Mutation::setInt),
      Combinators.combine(where, Arbitraries.bytes()).as(Mutation::setByte)));
    return one.list().ofMinSize(1).ofMaxSize(4);
  }

  /** One change to an encoding, placed at a fraction of its length so that it applies to any. */
  interface Mutation {
    byte[] apply(byte[] wire);

    static int index(double where, int length) {
      return Math.min(length, (int) (where * length));
    }

    static Mutation flip(double where, int bit) {
      return named("flip bit " + bit + " at " + where, w -> {
        int i = index(where, w.length - 1);
        if (w.length > 0) {
          w[i] ^= (byte) (1 << bit);
        }
        return w;
      });
    }

    static Mutation truncate(double where) {
      return named("truncate at " + where, w -> java.util.Arrays.copyOf(w, index(where, w.length)));
    }

    static Mutation insert(double where, byte[] bytes) {
      return named("insert " + bytes.length + " bytes at " + where, w -> {
        int i = index(where, w.length);
        return Buffer.buffer().appendBytes(w, 0, i).appendBytes(bytes).appendBytes(w, i, w.length - i).getBytes();
      });
    }

    static Mutation delete(double where, int count) {
      return named("delete " + count + " bytes at " + where, w -> {
        int i = index(where, w.length);
        int n = Math.min(count, w.length - i);
        return Buffer.buffer().appendBytes(w, 0, i).appendBytes(w, i + n, w.length - i - n).getBytes();
      });
    }

    static Mutation setInt(double where, int value) {
      return named("int " + value + " at " + where, w -> {
        if (w.length < 4) {
          return w;
        }
        Buffer b = Buffer.buffer(w);
        b.setInt(index(where, w.length - 4), value);
        return b.getBytes();
      });
    }

    static Mutation setByte(double where, byte value) {
      return named("byte " + value + " at " + where, w -> {
        if (w.length > 0) {
          w[index(where, w.length - 1)] = value;
        }
        return w;
      });
    }

    private static Mutation named(String name, java.util.function.UnaryOperator<byte[]> change) {
      return new Mutation() {
        @Override
        public byte[] apply(byte[] wire) {
          return change.apply(wire);
        }

        @Override
        public String toString() {
          return name;
        }
      };
    }
  }
}
