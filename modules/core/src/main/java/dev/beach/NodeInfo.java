package dev.beach;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/** A node as the cluster sees it: identity, tags and the load figures placement uses. */
public final class NodeInfo {

  private final JsonObject json;

  private NodeInfo(JsonObject json) {
    this.json = json;
  }

  public static NodeInfo fromJson(JsonObject json) {
    return new NodeInfo(json.copy());
  }

  public String id() {
    return json.getString("id");
  }

  public String host() {
    return json.getString("host");
  }

  public List<String> tags() {
    List<String> tags = new ArrayList<>();
    json.getJsonArray("tags", new JsonArray()).forEach(t -> tags.add((String) t));
    return tags;
  }

  public long startedAt() {
    return json.getLong("startedAt", 0L);
  }

  public long uptimeMs() {
    return json.getLong("uptimeMs", 0L);
  }

  /** Process CPU load, 0..1 (negative when the JVM cannot tell). */
  public double cpu() {
    return json.getDouble("cpu", 0d);
  }

  public long heapUsed() {
    return json.getLong("heapUsed", 0L);
  }

  public long heapMax() {
    return json.getLong("heapMax", 0L);
  }

  /** Actors hosted. */
  public int actors() {
    return json.getInteger("actors", 0);
  }

  /** Whether the node accepts new actors (false while draining). */
  public boolean ready() {
    return json.getBoolean("ready", true);
  }

  /** CPU + heap share, the figure {@code least-loaded} placement minimises. */
  public double load() {
    double heap = heapMax() > 0 ? (double) heapUsed() / heapMax() : 0;
    return Math.max(0, cpu()) + heap;
  }

  /** {@code {id, host, tags, startedAt, uptimeMs, cpu, heapUsed, heapMax, actors, ready}}. */
  public JsonObject toJson() {
    return json.copy();
  }

  @Override
  public String toString() {
    return json.encode();
  }
}
