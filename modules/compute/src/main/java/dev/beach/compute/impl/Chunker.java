package dev.beach.compute.impl;

import dev.beach.BeachException;
import dev.beach.ErrorCode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;

/**
 * Numbers inputs from 0 and cuts them into chunks. An input that is not a JSON value becomes a one-item chunk
 * that fails at once with 400, so the job reports it at its index instead of dropping it.
 */
final class Chunker {

  private final int chunkSize;
  private final ArrayDeque<Chunk> ready;
  private long next;
  private JsonArray current;
  private long currentBase;

  Chunker(int chunkSize, ArrayDeque<Chunk> ready) {
    this.chunkSize = chunkSize;
    this.ready = ready;
  }

  /** Inputs numbered so far. */
  long count() {
    return next;
  }

  void add(Object input) {
    Object value;
    try {
      value = toJson(input);
    } catch (BeachException e) {
      bad(e);
      return;
    }
    if (current == null) {
      current = new JsonArray(new java.util.ArrayList<>(chunkSize));
      currentBase = next;
    }
    current.add(value);
    next++;
    if (current.size() >= chunkSize) {
      flush();
    }
  }

  /** An input that cannot be sent: it fails at its own index, the chunk before it is closed. */
  void bad(BeachException error) {
    flush();
    ready.add(new Chunk(next++, error));
  }

  void flush() {
    if (current != null) {
      ready.add(new Chunk(currentBase, current));
      current = null;
    }
  }

  @SuppressWarnings("unchecked")
  static Object toJson(Object v) {
    if (v == null || v instanceof JsonObject || v instanceof JsonArray || v instanceof String || v instanceof Boolean
      || v instanceof Integer || v instanceof Long || v instanceof Double || v instanceof Float
      || v instanceof Short || v instanceof Byte || v instanceof java.math.BigInteger || v instanceof java.math.BigDecimal) {
      return v;
    }
    if (v instanceof Map) {
      return new JsonObject((Map<String, Object>) v);
    }
    if (v instanceof List) {
      return new JsonArray((List<Object>) v);
    }
    throw new BeachException(ErrorCode.BAD_REQUEST, "the input is a " + v.getClass().getName()
      + (v instanceof Buffer ? " (binary inputs are not supported in jobs; send base64 text)" : "")
      + ", not a JSON value (object, array, string, number, boolean or null)");
  }
}
