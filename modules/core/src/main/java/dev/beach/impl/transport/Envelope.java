package dev.beach.impl.transport;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Several requests and replies between one pair of nodes in one event-bus message (see {@link Coalescer}).
 * Encoded by {@link Codec} as plain binary fields and JSON bodies: never Java serialization.
 */
public final class Envelope {

  public static final byte REQUEST = 1;
  public static final byte SHOOT = 2;
  public static final byte OK = 3;
  public static final byte FAIL = 4;
  /**
   * Set on a request's kind byte when W3C trace context follows its deadline (traceparent, then tracestate or
   * null). A frame without trace context keeps the bytes it always had.
   */
  static final byte TRACED = 0x40;

  // Body tags: what follows a frame's fields.
  private static final byte NULL = 0;
  private static final byte JSON_OBJECT = 1;
  private static final byte JSON_ARRAY = 2;
  private static final byte STRING = 3;
  private static final byte BUFFER = 4;
  private static final byte LONG = 5;
  private static final byte INT = 6;
  private static final byte DOUBLE = 7;
  private static final byte BOOLEAN = 8;
  private static final byte FLOAT = 9;
  private static final byte SHORT = 10;
  private static final byte BYTE = 11;

  /** The fewest bytes a frame can take (kind, correlation id, null body): what bounds a frame count. */
  static final int MIN_FRAME_BYTES = 1 + 8 + 1;

  /** One request or reply. Requests carry the wire-format fields that plain messages carry as headers. */
  public static final class Frame {
    public final byte kind;
    public final long corr;
    public final String actor;
    public final String category;
    public final String op;
    public final String id;
    public final String ident;
    public final String key;
    public final long deadline;
    public final Object body;
    /** W3C trace context of a request: null when the caller is not traced. */
    public final String traceparent;
    public final String tracestate;

    public Frame(byte kind, long corr, String actor, String category, String op, String id, String ident, String key,
          long deadline, Object body) {
      this(kind, corr, actor, category, op, id, ident, key, deadline, body, null, null);
    }

    public Frame(byte kind, long corr, String actor, String category, String op, String id, String ident, String key,
          long deadline, Object body, String traceparent, String tracestate) {
      this.traceparent = traceparent;
      this.tracestate = tracestate;
      this.kind = kind;
      this.corr = corr;
      this.actor = actor;
      this.category = category;
      this.op = op;
      this.id = id;
      this.ident = ident;
      this.key = key;
      this.deadline = deadline;
      this.body = body;
    }

    static Frame reply(long corr, Object value) {
      return new Frame(OK, corr, null, null, null, null, null, null, 0, value);
    }

    /** A failure travels as the JSON form of the {@link dev.beach.BeachException}. */
    static Frame failure(long corr, String wireMessage) {
      return new Frame(FAIL, corr, null, null, null, null, null, null, 0, wireMessage);
    }
  }

  final String from;
  final List<Frame> frames;

  Envelope(String from, List<Frame> frames) {
    this.from = from;
    this.frames = frames;
  }

  /**
   * Bytes that are not an envelope: the decoder's one failure. It says what was wrong and at which offset of
   * the buffer it was given. It carries no stack trace: a peer can send bad frames as fast as it likes, and
   * the decoder's frames would say nothing the message does not.
   */
  public static final class MalformedEnvelopeException extends RuntimeException {
    private final int offset;

    MalformedEnvelopeException(String problem, int offset, Throwable cause) {
      super(problem + " at offset " + offset, cause, false, false);
      this.offset = offset;
    }

    /** Where in the buffer the unreadable field starts. */
    public int offset() {
      return offset;
    }
  }

  /** Binary form: from, count, then per frame its kind, fields and a type-tagged body. */
  public static final class Codec implements MessageCodec<Envelope, Envelope> {
    public static final String NAME = "beach.envelope";

    @Override
    public void encodeToWire(Buffer out, Envelope e) {
      writeString(out, e.from);
      out.appendInt(e.frames.size());
      for (Frame f : e.frames) {
        boolean request = f.kind == REQUEST || f.kind == SHOOT;
        boolean traced = request && f.traceparent != null;
        out.appendByte(traced ? (byte) (f.kind | TRACED) : f.kind).appendLong(f.corr);
        if (request) {
          writeString(out, f.actor);
          writeString(out, f.category);
          writeString(out, f.op);
          writeString(out, f.id);
          writeString(out, f.ident);
          writeString(out, f.key);
          out.appendLong(f.deadline);
          if (traced) {
            writeString(out, f.traceparent);
            writeString(out, f.tracestate);
          }
        }
        writeBody(out, f.body);
      }
    }

    /**
     * Reads the envelope that fills {@code in} from {@code pos} to its end (on a link the frame is exactly
     * that; on the bus the body is the last field of the message). Every count and length is checked against
     * the bytes left before anything is allocated for it, so what one frame makes is bounded by its size.
     *
     * @throws MalformedEnvelopeException when the bytes are not an envelope; no other exception
     */
    @Override
    public Envelope decodeFromWire(int pos, Buffer in) {
      return new Reader(in, pos).envelope();
    }

    @Override
    public Envelope transform(Envelope e) {
      return e;
    }

    @Override
    public String name() {
      return NAME;
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }

    private static void writeString(Buffer out, String s) {
      if (s == null) {
        out.appendInt(-1);
      } else {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.appendInt(b.length).appendBytes(b);
      }
    }

    private static void writeBody(Buffer out, Object v) {
      if (v == null) {
        out.appendByte(NULL);
      } else if (v instanceof JsonObject) {
        writeBytes(out, JSON_OBJECT, ((JsonObject) v).toBuffer());
      } else if (v instanceof JsonArray) {
        writeBytes(out, JSON_ARRAY, ((JsonArray) v).toBuffer());
      } else if (v instanceof String) {
        writeBytes(out, STRING, Buffer.buffer((String) v));
      } else if (v instanceof Buffer) {
        writeBytes(out, BUFFER, (Buffer) v);
      } else if (v instanceof Long) {
        out.appendByte(LONG).appendLong((Long) v);
      } else if (v instanceof Integer) {
        out.appendByte(INT).appendInt((Integer) v);
      } else if (v instanceof Double) {
        out.appendByte(DOUBLE).appendDouble((Double) v);
      } else if (v instanceof Boolean) {
        out.appendByte(BOOLEAN).appendByte((byte) (((Boolean) v) ? 1 : 0));
      } else if (v instanceof Float) {
        out.appendByte(FLOAT).appendFloat((Float) v);
      } else if (v instanceof Short) {
        out.appendByte(SHORT).appendShort((Short) v);
      } else if (v instanceof Byte) {
        out.appendByte(BYTE).appendByte((Byte) v);
      } else {
        throw new IllegalArgumentException("not a wire value: " + v.getClass().getName());
      }
    }

    private static void writeBytes(Buffer out, byte tag, Buffer bytes) {
      out.appendByte(tag).appendInt(bytes.length()).appendBuffer(bytes);
    }
  }

  /**
   * A cursor over one encoded envelope. Each read first checks that the bytes it needs are there; counts and
   * lengths are checked against the bytes left, so a few bytes can never ask for a large allocation.
   */
  private static final class Reader {
    private final Buffer in;
    private final int end;
    private int pos;

    Reader(Buffer in, int pos) {
      this.in = in;
      this.end = in.length();
      if (pos < 0 || pos > end) {
        throw new MalformedEnvelopeException("an envelope cannot start outside a buffer of " + end + " bytes", pos, null);
      }
      this.pos = pos;
    }

    Envelope envelope() {
      int at = pos;
      String from = string("sender");
      if (from == null) {
        throw malformed("an envelope must name the node it comes from", at);
      }
      at = pos;
      int count = int32("frame count");
      if (count < 0 || count > left() / MIN_FRAME_BYTES) {
        throw malformed("frame count " + count + " does not fit the " + left() + " bytes left (a frame takes at least "
          + MIN_FRAME_BYTES + ")", at);
      }
      List<Frame> frames = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        frames.add(frame());
      }
      if (pos != end) {
        throw malformed((end - pos) + " bytes follow the last of " + count + " frames", pos);
      }
      return new Envelope(from, frames);
    }

    private Frame frame() {
      int at = pos;
      byte flagged = int8("frame kind");
      byte kind = (byte) (flagged & ~TRACED);
      boolean traced = (flagged & TRACED) != 0;
      if (traced && kind != REQUEST && kind != SHOOT) {
        throw malformed("only a request carries trace context, not frame kind " + kind, at);
      }
      long corr = int64("correlation id");
      switch (kind) {
        case REQUEST:
        case SHOOT: {
          String actor = string("actor");
          String category = string("category");
          String op = string("op");
          String id = string("request id");
          String ident = string("ident");
          String key = string("key");
          long deadline = int64("deadline");
          String traceparent = null;
          String tracestate = null;
          if (traced) {
            int tpAt = pos;
            traceparent = string("traceparent");
            if (traceparent == null) {
              throw malformed("a traced frame needs a traceparent", tpAt);
            }
            tracestate = string("tracestate");
          }
          return new Frame(kind, corr, actor, category, op, id, ident, key, deadline, body(), traceparent, tracestate);
        }
        case OK:
          return Frame.reply(corr, body());
        case FAIL:
          return Frame.failure(corr, failure());
        default:
          throw malformed("unknown frame kind " + kind, at);
      }
    }

    /** A failure's body is a failure's JSON object as text; the caller it completes reads it as one. */
    private String failure() {
      int at = pos;
      Object body = body();
      if (!(body instanceof String)) {
        throw malformed("a failure's body must be JSON text, not " + WireValues.describe(body), at);
      }
      try {
        new JsonObject((String) body);
      } catch (RuntimeException e) {
        throw new MalformedEnvelopeException("a failure's body is not a JSON object (" + e.getMessage() + ")", at, e);
      }
      return (String) body;
    }

    private Object body() {
      int at = pos;
      byte tag = int8("body tag");
      switch (tag) {
        case NULL:
          return null;
        case JSON_OBJECT:
        case JSON_ARRAY:
          return json(tag, bytes("JSON body"), at);
        case STRING: {
          int len = length("string body");
          String s = in.getString(pos, pos + len, "UTF-8");
          pos += len;
          return s;
        }
        case BUFFER:
          return bytes("buffer body");
        case LONG:
          return int64("long body");
        case INT:
          return int32("int body");
        case DOUBLE:
          need(8, "double body");
          pos += 8;
          return in.getDouble(pos - 8);
        case BOOLEAN:
          return int8("boolean body") != 0;
        case FLOAT:
          need(4, "float body");
          pos += 4;
          return in.getFloat(pos - 4);
        case SHORT:
          need(2, "short body");
          pos += 2;
          return in.getShort(pos - 2);
        case BYTE:
          return int8("byte body");
        default:
          throw malformed("unknown body tag " + tag, at);
      }
    }

    /** JSON text parsed by Vert.x (Jackson bounds nesting depth and number length); any refusal is ours. */
    private static Object json(byte tag, Buffer text, int at) {
      try {
        return tag == JSON_OBJECT ? new JsonObject(text) : new JsonArray(text);
      } catch (RuntimeException e) {
        throw new MalformedEnvelopeException("unreadable JSON " + (tag == JSON_OBJECT ? "object" : "array")
          + " (" + e.getMessage() + ")", at, e);
      }
    }

    private Buffer bytes(String what) {
      int len = length(what);
      Buffer b = in.getBuffer(pos, pos + len);
      pos += len;
      return b;
    }

    /** A length of {@code -1} means null. */
    private String string(String what) {
      int at = pos;
      int len = int32(what + " length");
      if (len == -1) {
        return null;
      }
      fits(len, what, at);
      String s = in.getString(pos, pos + len, "UTF-8");
      pos += len;
      return s;
    }

    /** A byte count that must fit what is left; the cursor ends on the first of those bytes. */
    private int length(String what) {
      int at = pos;
      int len = int32(what + " length");
      fits(len, what, at);
      return len;
    }

    private void fits(int len, String what, int at) {
      if (len < 0 || len > left()) {
        throw malformed(what + " length " + len + " does not fit the " + left() + " bytes left", at);
      }
    }

    private byte int8(String what) {
      need(1, what);
      return in.getByte(pos++);
    }

    private int int32(String what) {
      need(4, what);
      pos += 4;
      return in.getInt(pos - 4);
    }

    private long int64(String what) {
      need(8, what);
      pos += 8;
      return in.getLong(pos - 8);
    }

    private void need(int bytes, String what) {
      if (left() < bytes) {
        throw malformed(what + " needs " + bytes + " bytes, " + left() + " left", pos);
      }
    }

    private int left() {
      return end - pos;
    }

    private static MalformedEnvelopeException malformed(String problem, int offset) {
      return new MalformedEnvelopeException(problem, offset, null);
    }
  }
}
