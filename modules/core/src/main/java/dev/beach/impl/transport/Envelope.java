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

    public Frame(byte kind, long corr, String actor, String category, String op, String id, String ident, String key,
          long deadline, Object body) {
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

  /** Binary form: from, count, then per frame its kind, fields and a type-tagged body. */
  public static final class Codec implements MessageCodec<Envelope, Envelope> {
    public static final String NAME = "beach.envelope";

    @Override
    public void encodeToWire(Buffer out, Envelope e) {
      writeString(out, e.from);
      out.appendInt(e.frames.size());
      for (Frame f : e.frames) {
        out.appendByte(f.kind).appendLong(f.corr);
        if (f.kind == REQUEST || f.kind == SHOOT) {
          writeString(out, f.actor);
          writeString(out, f.category);
          writeString(out, f.op);
          writeString(out, f.id);
          writeString(out, f.ident);
          writeString(out, f.key);
          out.appendLong(f.deadline);
        }
        writeBody(out, f.body);
      }
    }

    @Override
    public Envelope decodeFromWire(int pos, Buffer in) {
      int[] p = {pos};
      String from = readString(in, p);
      int n = in.getInt(p[0]);
      p[0] += 4;
      List<Frame> frames = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        byte kind = in.getByte(p[0]);
        long corr = in.getLong(p[0] + 1);
        p[0] += 9;
        if (kind == REQUEST || kind == SHOOT) {
          String actor = readString(in, p);
          String category = readString(in, p);
          String op = readString(in, p);
          String id = readString(in, p);
          String ident = readString(in, p);
          String key = readString(in, p);
          long deadline = in.getLong(p[0]);
          p[0] += 8;
          frames.add(new Frame(kind, corr, actor, category, op, id, ident, key, deadline, readBody(in, p)));
        } else {
          frames.add(new Frame(kind, corr, null, null, null, null, null, null, 0, readBody(in, p)));
        }
      }
      return new Envelope(from, frames);
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

    private static String readString(Buffer in, int[] p) {
      int len = in.getInt(p[0]);
      p[0] += 4;
      if (len < 0) {
        return null;
      }
      String s = in.getString(p[0], p[0] + len, "UTF-8");
      p[0] += len;
      return s;
    }

    private static void writeBody(Buffer out, Object v) {
      if (v == null) {
        out.appendByte((byte) 0);
      } else if (v instanceof JsonObject) {
        writeBytes(out, (byte) 1, ((JsonObject) v).toBuffer());
      } else if (v instanceof JsonArray) {
        writeBytes(out, (byte) 2, ((JsonArray) v).toBuffer());
      } else if (v instanceof String) {
        writeBytes(out, (byte) 3, Buffer.buffer((String) v));
      } else if (v instanceof Buffer) {
        writeBytes(out, (byte) 4, (Buffer) v);
      } else if (v instanceof Long) {
        out.appendByte((byte) 5).appendLong((Long) v);
      } else if (v instanceof Integer) {
        out.appendByte((byte) 6).appendInt((Integer) v);
      } else if (v instanceof Double) {
        out.appendByte((byte) 7).appendDouble((Double) v);
      } else if (v instanceof Boolean) {
        out.appendByte((byte) 8).appendByte((byte) (((Boolean) v) ? 1 : 0));
      } else if (v instanceof Float) {
        out.appendByte((byte) 9).appendFloat((Float) v);
      } else if (v instanceof Short) {
        out.appendByte((byte) 10).appendShort((Short) v);
      } else if (v instanceof Byte) {
        out.appendByte((byte) 11).appendByte((Byte) v);
      } else {
        throw new IllegalArgumentException("not a wire value: " + v.getClass().getName());
      }
    }

    private static void writeBytes(Buffer out, byte tag, Buffer bytes) {
      out.appendByte(tag).appendInt(bytes.length()).appendBuffer(bytes);
    }

    private static Object readBody(Buffer in, int[] p) {
      byte tag = in.getByte(p[0]++);
      switch (tag) {
        case 0:
          return null;
        case 1:
        case 2:
        case 3:
        case 4: {
          int len = in.getInt(p[0]);
          Buffer bytes = in.getBuffer(p[0] + 4, p[0] + 4 + len);
          p[0] += 4 + len;
          return tag == 1 ? new JsonObject(bytes) : tag == 2 ? new JsonArray(bytes)
            : tag == 3 ? bytes.toString(StandardCharsets.UTF_8) : bytes;
        }
        case 5:
          p[0] += 8;
          return in.getLong(p[0] - 8);
        case 6:
          p[0] += 4;
          return in.getInt(p[0] - 4);
        case 7:
          p[0] += 8;
          return in.getDouble(p[0] - 8);
        case 8:
          return in.getByte(p[0]++) != 0;
        case 9:
          p[0] += 4;
          return in.getFloat(p[0] - 4);
        case 10:
          p[0] += 2;
          return in.getShort(p[0] - 2);
        case 11:
          return in.getByte(p[0]++);
        default:
          throw new IllegalStateException("unknown body tag " + tag);
      }
    }
  }
}
