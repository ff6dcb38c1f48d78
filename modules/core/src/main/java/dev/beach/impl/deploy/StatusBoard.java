package dev.beach.impl.deploy;

import dev.beach.DeploymentStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;

/**
 * Each deployment's status as the leader last computed it, with the leader's {@link RestartBook}, in a replicated
 * map (with a backup): any node answers a listing from it, and a new leader starts from the books it finds, so a
 * failed deployment stays failed and a crash loop keeps its count across a leader change. Not persisted: after a
 * full restart every deployment starts with a clean history. Entries: {@code {status, book}} as JSON text.
 */
final class StatusBoard {

  private static final Logger LOG = LoggerFactory.getLogger(StatusBoard.class);

  private final Vertx vertx;
  private final SharedMap map;
  /** What this node last wrote, so an unchanged status costs no write. */
  private final Map<String, String> written = new HashMap<>();
  /** Every entry, kept by a listener: a new leader and every listing read it without a network round trip. */
  private final Map<String, JsonObject> cache = new java.util.concurrent.ConcurrentHashMap<>();

  StatusBoard(Vertx vertx, SharedMap map) {
    this.vertx = vertx;
    this.map = map;
  }

  Future<Void> start() {
    map.listen((k, v) -> {
      if (v == null) {
        cache.remove(k);
      } else {
        cache.put(k, new JsonObject(v));
      }
    });
    return vertx.executeBlocking(() -> {
      map.entries().forEach((k, v) -> cache.putIfAbsent(k, new JsonObject(v)));
      return null;
    }, false);
  }

  /** Writes what changed (statuses compared without their time); removes entries of deployments that are gone. */
  void publish(Map<String, DeploymentStatus> statuses, Map<String, RestartBook> books) {
    Map<String, String> writes = new HashMap<>();
    for (Map.Entry<String, DeploymentStatus> e : statuses.entrySet()) {
      JsonObject status = e.getValue().toJson();
      JsonObject comparable = status.copy();
      comparable.remove("updatedAt");
      RestartBook book = books.get(e.getKey());
      JsonObject bookJson = book == null ? null : book.toJson();
      String key = comparable.encode() + (bookJson == null ? "" : bookJson.encode());
      if (!key.equals(written.get(e.getKey()))) {
        written.put(e.getKey(), key);
        writes.put(e.getKey(), new JsonObject().put("status", status).put("book", bookJson).encode());
      }
    }
    java.util.List<String> gone = new java.util.ArrayList<>();
    for (String name : written.keySet()) {
      if (!statuses.containsKey(name)) {
        gone.add(name);
      }
    }
    gone.forEach(written::remove);
    if (writes.isEmpty() && gone.isEmpty()) {
      return;
    }
    writes.forEach((k, v) -> cache.put(k, new JsonObject(v)));
    gone.forEach(cache::remove);
    // Ordered: two quick changes of one status must reach the map in the order they were made.
    vertx.executeBlocking(() -> {
      writes.forEach(map::set);
      gone.forEach(map::remove);
      return null;
    }, true).onFailure(t -> {
      LOG.debug("cannot write deployment statuses: {}", t.toString());
      written.keySet().removeAll(writes.keySet());
    });
  }

  /** Forgets what was written, so a new term of leadership writes everything once. */
  void reset() {
    written.clear();
  }

  /** Every entry, name → {status, book}, from this node's copy. */
  Map<String, JsonObject> readAll() {
    return Map.copyOf(cache);
  }

  JsonObject read(String name) {
    return cache.get(name);
  }
}
