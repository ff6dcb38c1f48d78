package dev.beach;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * A directory entry: an actor, where it runs and, when asked for, its {@link ActorStats}. Private
 * parameters (keys starting with {@code _}) are never part of it. An actor a {@link Deployment} keeps running
 * also names that deployment, its instance key and the deployment revision it was started from.
 */
public final class ActorInfo {

  private final String id;
  private final String realm;
  private final String className;
  private final List<String> categories;
  private final String node;
  private final long startedAt;
  private final ActorStats stats;
  private final int lane;
  private final String deployment;
  private final String instance;
  private final String revision;

  public ActorInfo(String id, String realm, String className, List<String> categories, String node, long startedAt,
                   ActorStats stats) {
    this(id, realm, className, categories, node, startedAt, stats, -1);
  }

  /** {@code lane}: the event-loop lane of its node it runs on (a routing detail; -1 when unknown). */
  public ActorInfo(String id, String realm, String className, List<String> categories, String node, long startedAt,
                   ActorStats stats, int lane) {
    this(id, realm, className, categories, node, startedAt, stats, lane, null, null, null);
  }

  /**
   * @param deployment the deployment that keeps this actor running, or null
   * @param instance   its instance key within the deployment ({@code "3"}, or {@code "0@<node>"} for per-node ones)
   * @param revision   the deployment revision (a hash of what its actors run) it was started from
   */
  public ActorInfo(String id, String realm, String className, List<String> categories, String node, long startedAt,
                   ActorStats stats, int lane, String deployment, String instance, String revision) {
    this.deployment = deployment;
    this.instance = instance;
    this.revision = revision;
    this.id = id;
    this.realm = realm;
    this.className = className;
    this.categories = List.copyOf(categories);
    this.node = node;
    this.startedAt = startedAt;
    this.stats = stats;
    this.lane = lane;
  }

  public static ActorInfo fromJson(JsonObject json) {
    List<String> cats = new ArrayList<>();
    JsonArray arr = json.getJsonArray("categories", new JsonArray());
    arr.forEach(c -> cats.add((String) c));
    JsonObject stats = json.getJsonObject("stats");
    return new ActorInfo(json.getString("id"), json.getString("realm"), json.getString("class"), cats,
      json.getString("node"), json.getLong("startedAt", 0L), stats == null ? null : ActorStats.fromJson(stats),
      json.getInteger("lane", -1), json.getString("deployment"), json.getString("instance"),
      json.getString("revision"));
  }

  public String id() {
    return id;
  }

  public String realm() {
    return realm;
  }

  public String className() {
    return className;
  }

  public List<String> categories() {
    return categories;
  }

  public String node() {
    return node;
  }

  public long startedAt() {
    return startedAt;
  }

  /** The event-loop lane of its node the actor runs on, or -1: callers address it there to save a thread hop. */
  public int lane() {
    return lane;
  }

  /** The deployment that keeps this actor running, or null for an actor deployed by hand. */
  public String deployment() {
    return deployment;
  }

  /** Its instance key within {@link #deployment()}, or null. */
  public String instance() {
    return instance;
  }

  /** The revision of {@link #deployment()} it runs, or null. */
  public String revision() {
    return revision;
  }

  /** Null when read from the directory cache; set when read live from the hosting node. */
  public ActorStats stats() {
    return stats;
  }

  /** Whether a handle on {@code category} reaches this actor. */
  public boolean reachedBy(String category) {
    for (String c : categories) {
      if (Address.reaches(category, c)) {
        return true;
      }
    }
    return false;
  }

  public ActorInfo withStats(ActorStats stats) {
    return new ActorInfo(id, realm, className, categories, node, startedAt, stats, lane, deployment, instance, revision);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("id", id).put("realm", realm).put("class", className)
      .put("categories", new JsonArray(new ArrayList<>(categories))).put("node", node).put("startedAt", startedAt);
    if (lane >= 0) {
      json.put("lane", lane);
    }
    if (deployment != null) {
      json.put("deployment", deployment).put("instance", instance).put("revision", revision);
    }
    if (stats != null) {
      json.put("stats", stats.toJson());
    }
    return json;
  }

  @Override
  public String toString() {
    return toJson().encode();
  }
}
