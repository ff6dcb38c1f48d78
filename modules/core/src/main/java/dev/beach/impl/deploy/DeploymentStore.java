package dev.beach.impl.deploy;

import dev.beach.BeachException;
import dev.beach.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * The cluster's deployments: held by the cluster itself in a replicated map with backups (so a node's death loses
 * none), cached on every node (the reconciler reads the cache, never the network), and written by every node to
 * {@code <dataDir>/deployments.json} on each change, so a full cluster restart restores them.
 * <p>
 * Removing writes a tombstone ({@code {removed: <time>}}, dropped after {@link #TOMBSTONE_MS}), so every node
 * knows a deployment was removed rather than lost, and the reconciler stops its actors only then.
 * <p>
 * Every {@link #REPAIR_MS} each node compares the map with its cache: what the map lost (its replicas died before
 * Hazelcast copied them again) is put back from the cache (put-if-absent: a tombstone wins), and what the node missed
 * is cached. So desired state survives as long as one node remembers it.
 * <p>
 * Restoring: the map holds a marker entry from the moment a cluster first has one. A node that starts and finds no
 * marker is the first of a (re)started cluster: it puts every record of its file (put-if-absent, so two nodes
 * starting together merge) and then the marker. A node joining a running cluster finds the marker and ignores its
 * file, so a node that was away cannot bring back a deployment removed meanwhile.
 */
final class DeploymentStore {

  /** Deployment names follow the realm rule, so no name starts with a dot. */
  static final String MARKER = ".cluster";
  static final long TOMBSTONE_MS = 10 * 60_000;
  static final long REPAIR_MS = 3_000;
  private static final Logger LOG = LoggerFactory.getLogger(DeploymentStore.class);
  private static final long PERSIST_DELAY_MS = 20;

  private final Vertx vertx;
  private final ContextInternal context;
  private final SharedMap map;
  private final DeploymentFile file;
  private final Map<String, DeploymentRecord> cache = new ConcurrentHashMap<>();
  /** Removed deployments (tombstones seen), by name → when. */
  private final Map<String, Long> removed = new ConcurrentHashMap<>();
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private Future<Void> writes = Future.succeededFuture();
  private boolean persistScheduled;
  private boolean repairing;
  private long repairTimer = -1;

  /** @param dataDir where this node keeps its copy, or null to keep none */
  DeploymentStore(Vertx vertx, ContextInternal context, SharedMap map, Path dataDir) {
    this.vertx = vertx;
    this.context = context;
    this.map = map;
    this.file = dataDir == null ? null : new DeploymentFile(dataDir);
  }

  /** Told (on the node's context) after every change, whichever node made it. */
  void onChange(Runnable listener) {
    listeners.add(listener);
  }

  Future<Void> start() {
    map.listen(this::changed);
    return vertx.executeBlocking(() -> {
      Map<String, String> entries = map.entries();
      if (!entries.containsKey(MARKER)) {
        int restored = 0;
        if (file != null) {
          for (DeploymentRecord r : file.read()) {
            if (map.putIfAbsent(r.deployment().getName(), r.encode()) == null) {
              restored++;
            }
          }
        }
        map.putIfAbsent(MARKER, new JsonObject().put("since", System.currentTimeMillis()).encode());
        if (restored > 0) {
          LOG.info("restored {} deployment(s) from {}", restored, file.path());
        }
        entries = map.entries();
      }
      return entries;
    }, false).compose(entries -> {
      entries.forEach(this::cacheOnly);
      context.runOnContext(v -> {
        persist();
        repairTimer = vertx.setPeriodic(REPAIR_MS, t -> repair());
      });
      return Future.<Void>succeededFuture();
    });
  }

  void stop() {
    vertx.cancelTimer(repairTimer);
    map.close();
  }

  /** Every deployment, from the cache. */
  Map<String, DeploymentRecord> snapshot() {
    return Map.copyOf(cache);
  }

  /** Deployments removed (their tombstone seen) within the last {@link #TOMBSTONE_MS}. */
  Set<String> removed() {
    return Set.copyOf(removed.keySet());
  }

  DeploymentRecord get(String name) {
    return cache.get(name);
  }

  /**
   * Stores {@code next(current)} (current null when absent) if nobody changed it meanwhile; retried otherwise. When
   * {@code next} returns {@code current} itself, nothing is written and nobody is told.
   */
  Future<DeploymentRecord> update(String name, UnaryOperator<DeploymentRecord> next) {
    return vertx.executeBlocking(() -> {
      for (int attempt = 0; attempt < 20; attempt++) {
        String before = map.get(name);
        DeploymentRecord current = before == null || tombstone(before) != null ? null : DeploymentRecord.decode(before);
        DeploymentRecord wanted = next.apply(current);
        if (current != null && wanted == current) {
          return current;
        }
        String text = wanted.encode();
        if (before == null ? map.putIfAbsent(name, text) == null : map.replace(name, before, text)) {
          return DeploymentRecord.decode(text);
        }
      }
      throw new BeachException(ErrorCode.CONFLICT, "deployment " + name + " changed 20 times while updating it; retry");
    }, false).onSuccess(r -> changed(name, r.encode()));
  }

  /** Removes it (a tombstone takes its place); completes with whether it existed. */
  Future<Boolean> remove(String name) {
    String tombstone = new JsonObject().put("removed", System.currentTimeMillis()).encode();
    return vertx.executeBlocking(() -> {
      for (int attempt = 0; attempt < 20; attempt++) {
        String before = map.get(name);
        if (before == null || tombstone(before) != null) {
          return false;
        }
        if (map.replace(name, before, tombstone)) {
          return true;
        }
      }
      throw new BeachException(ErrorCode.CONFLICT, "deployment " + name + " changed 20 times while removing it; retry");
    }, false).onSuccess(existed -> {
      if (existed) {
        changed(name, tombstone);
      }
    });
  }

  /** Any thread: the cache at once (so a read right after a write sees it), the rest on the node's context. */
  private void changed(String key, String value) {
    if (cacheOnly(key, value)) {
      context.runOnContext(v -> {
        persist();
        listeners.forEach(Runnable::run);
      });
    }
  }

  /** Updates the cache; false when nothing changed (our own write heard again from the map). */
  private boolean cacheOnly(String key, String value) {
    if (key.startsWith(".")) {
      return false;
    }
    Long removedAt = value == null ? null : tombstone(value);
    if (value == null || removedAt != null) {
      if (removedAt != null) {
        removed.put(key, removedAt);
      }
      return cache.remove(key) != null;
    }
    try {
      DeploymentRecord r = DeploymentRecord.decode(value);
      removed.remove(key);
      DeploymentRecord before = cache.put(key, r);
      return before == null || !before.encode().equals(value);
    } catch (BeachException e) {
      LOG.warn("ignoring deployment {} in the cluster map: {}", key, e.getMessage());
      return false;
    }
  }

  /** When the deployment was removed, if {@code value} is a tombstone; else null. */
  private static Long tombstone(String value) {
    if (!value.startsWith("{\"removed\"")) {
      return null;
    }
    return new JsonObject(value).getLong("removed");
  }

  /** Puts back what the map lost, caches what this node missed, drops old tombstones. */
  private void repair() {
    if (repairing) {
      return;
    }
    repairing = true;
    Map<String, DeploymentRecord> mine = new HashMap<>(cache);
    vertx.executeBlocking(() -> {
      Map<String, String> entries = map.entries();
      List<String> restored = new ArrayList<>();
      for (Map.Entry<String, DeploymentRecord> e : mine.entrySet()) {
        if (!entries.containsKey(e.getKey()) && map.putIfAbsent(e.getKey(), e.getValue().encode()) == null) {
          restored.add(e.getKey());
        }
      }
      if (!entries.containsKey(MARKER)) {
        map.putIfAbsent(MARKER, new JsonObject().put("since", System.currentTimeMillis()).encode());
      }
      long now = System.currentTimeMillis();
      entries.forEach((k, v) -> {
        Long at = tombstone(v);
        if (at != null && at < now - TOMBSTONE_MS) {
          map.remove(k, v);
        }
      });
      if (!restored.isEmpty()) {
        LOG.warn("the deployments map had lost {}; put back from this node's copy", restored);
      }
      return entries;
    }, false).onComplete(ar -> {
      repairing = false;
      if (ar.succeeded()) {
        ar.result().forEach((k, v) -> {
          if (!mine.containsKey(k) || tombstone(v) != null) {
            changed(k, v);
          }
        });
      }
    });
  }

  /** Writes the file soon, after the writes before it, with the cache as it is then. */
  private void persist() {
    if (file == null || persistScheduled) {
      return;
    }
    persistScheduled = true;
    vertx.setTimer(PERSIST_DELAY_MS, t -> {
      persistScheduled = false;
      List<DeploymentRecord> records = new ArrayList<>(cache.values());
      writes = writes.transform(ar -> vertx.executeBlocking(() -> {
        file.write(records);
        return null;
      }, false)).onFailure(e -> LOG.error("cannot write {}: {}", file.path(), e.toString())).mapEmpty();
    });
  }

  /** Completes once the writes asked for so far are on disk (close waits for it). */
  Future<Void> flushed() {
    return writes.recover(t -> Future.succeededFuture());
  }
}
