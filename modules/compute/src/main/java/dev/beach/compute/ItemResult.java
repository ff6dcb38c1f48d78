package dev.beach.compute;

import dev.beach.BatchProtocol;
import dev.beach.BeachException;
import io.vertx.core.json.JsonObject;

/**
 * One input's outcome: {@code {i, ok: true, value}} or {@code {i, ok: false, error: {code, message, ...}}}, where
 * {@code i} is the input's position (from 0). The same shape as a worker's {@code _batch} answer and a line of
 * {@code GET /v1/jobs/{id}/results}.
 */
public final class ItemResult {

  private final JsonObject json;

  private ItemResult(JsonObject json) {
    this.json = json;
  }

  /** Wraps a result object as workers send it; the object is not copied, so do not change it afterwards. */
  public static ItemResult fromJson(JsonObject json) {
    return new ItemResult(json);
  }

  public static ItemResult success(long index, Object value) {
    return new ItemResult(BatchProtocol.success(index, value));
  }

  public static ItemResult failure(long index, BeachException error) {
    return new ItemResult(BatchProtocol.failure(index, error));
  }

  public long index() {
    return json.getLong(BatchProtocol.INDEX);
  }

  public boolean ok() {
    return json.getBoolean(BatchProtocol.OK, false);
  }

  /** The value (a JSON value or null); null for a failure. */
  @SuppressWarnings("unchecked")
  public <T> T value() {
    return (T) json.getValue(BatchProtocol.VALUE);
  }

  /** The failure, with the code, the actor, the node and the op that failed; null when {@link #ok()}. */
  public BeachException error() {
    JsonObject e = json.getJsonObject(BatchProtocol.ERROR);
    return e == null ? null : BeachException.fromJson(e);
  }

  /** The wire form; shared, not copied. */
  public JsonObject toJson() {
    return json;
  }

  @Override
  public String toString() {
    return json.encode();
  }
}
