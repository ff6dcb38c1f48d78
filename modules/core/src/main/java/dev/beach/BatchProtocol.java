package dev.beach;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The built-in ops every actor answers, and the shape of {@value #BATCH}, the compute layer's unit of work: one
 * request applies one of the actor's own op handlers to each item of a chunk, so any actor is a worker without
 * extra code. Defined here once, for the actor side (core) and the sending side (compute, other languages).
 * <pre>
 *   request: {op: "square", base: 1000, items: [3, 4, ...]}
 *   reply:   {results: [{i: 1000, ok: true, value: 9}, {i: 1001, ok: false, error: {code, message, ...}}, ...]}
 * </pre>
 * {@code base} is the job-wide index of the first item, so each result names its input's position; items run
 * one after another inside the chunk's mailbox slot, and one bad item never hides the others.
 */
public final class BatchProtocol {

  /** Applies an op to every item of a chunk. */
  public static final String BATCH = "_batch";
  /** Answers the actor's statistics and recent errors (py-beach's {@code z}). */
  public static final String STATS = "_stats";

  /** Request field: the op to apply to each item. */
  public static final String OP = "op";
  /** Request field: the items, a JSON array. */
  public static final String ITEMS = "items";
  /** Request field: the index of the first item. */
  public static final String BASE = "base";
  /** Reply field: one result per item, in item order. */
  public static final String RESULTS = "results";
  /** Result field: the item's index ({@code base + position}). */
  public static final String INDEX = "i";
  /** Result field: whether the item succeeded. */
  public static final String OK = "ok";
  /** Result field: the item's answer, when {@link #OK}. */
  public static final String VALUE = "value";
  /** Result field: the item's failure ({@link BeachException#toJson()}), when not {@link #OK}. */
  public static final String ERROR = "error";

  private BatchProtocol() {
  }

  /** The body of a {@value #BATCH} request. */
  public static JsonObject request(String op, long base, JsonArray items) {
    return new JsonObject().put(OP, op).put(BASE, base).put(ITEMS, items);
  }

  /** A successful item's result. */
  public static JsonObject success(long index, Object value) {
    return new JsonObject().put(INDEX, index).put(OK, true).put(VALUE, value);
  }

  /** A failed item's result. */
  public static JsonObject failure(long index, BeachException error) {
    return new JsonObject().put(INDEX, index).put(OK, false).put(ERROR, error.toJson());
  }
}
