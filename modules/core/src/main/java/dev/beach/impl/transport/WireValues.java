package dev.beach.impl.transport;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** What may cross the wire as a body: Vert.x's built-in JSON codecs and buffers, never Java serialization. */
public final class WireValues {

  private WireValues() {
  }

  public static boolean isWireValue(Object v) {
    return v == null || v instanceof JsonObject || v instanceof JsonArray || v instanceof String
      || v instanceof Buffer || v instanceof Integer || v instanceof Long || v instanceof Double
      || v instanceof Float || v instanceof Boolean || v instanceof Short || v instanceof Byte;
  }

  public static String describe(Object v) {
    return v == null ? "null" : "a " + v.getClass().getSimpleName();
  }

  /** A copy for local delivery, so sender and receiver never share a mutable body. */
  public static Object copy(Object v) {
    if (v instanceof JsonObject) {
      return ((JsonObject) v).copy();
    }
    if (v instanceof JsonArray) {
      return ((JsonArray) v).copy();
    }
    if (v instanceof Buffer) {
      return ((Buffer) v).copy();
    }
    return v;
  }
}
