package dev.beach.impl.directory;

import dev.beach.ActorInfo;
import dev.beach.Address;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node's view of every actor in the cluster. Each node is authoritative for its own actors; the
 * others' entries arrive through {@code actor.started}/{@code actor.stopped} events (numbered per node,
 * so a gap is noticed and healed by a snapshot pull) and vanish when their node leaves.
 * <p>
 * Writers are serialised ({@code synchronized}); readers, including every request's actor pick, are
 * lock-free. {@link #reach} caches the actors a category reaches until the next change.
 */
public final class Directory {

  private static final ActorInfo[] NONE = new ActorInfo[0];

  private final ConcurrentHashMap<String, ActorInfo> byId = new ConcurrentHashMap<>();
  /** realm → exact category → actors. */
  private final ConcurrentHashMap<String, ConcurrentHashMap<String, Set<ActorInfo>>> byCategory = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, NodeShard> byNode = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Reach> reachCache = new ConcurrentHashMap<>();
  private volatile long version;

  private static final class NodeShard {
    long seq;
    final Set<String> ids = ConcurrentHashMap.newKeySet();
  }

  private static final class Reach {
    final long version;
    final ActorInfo[] actors;

    Reach(long version, ActorInfo[] actors) {
      this.version = version;
      this.actors = actors;
    }
  }

  // ------------------------------------------------------------------ writes

  public synchronized void add(ActorInfo actor) {
    if (byId.put(actor.id(), actor) == null) {
      byNode.computeIfAbsent(actor.node(), n -> new NodeShard()).ids.add(actor.id());
      for (String c : actor.categories()) {
        byCategory.computeIfAbsent(actor.realm(), r -> new ConcurrentHashMap<>())
          .computeIfAbsent(c, k -> ConcurrentHashMap.newKeySet()).add(actor);
      }
      version++;
    }
  }

  public synchronized ActorInfo remove(String id) {
    ActorInfo actor = byId.remove(id);
    if (actor != null) {
      NodeShard shard = byNode.get(actor.node());
      if (shard != null) {
        shard.ids.remove(id);
      }
      Map<String, Set<ActorInfo>> realm = byCategory.get(actor.realm());
      if (realm != null) {
        for (String c : actor.categories()) {
          Set<ActorInfo> set = realm.get(c);
          if (set != null) {
            set.remove(actor);
            if (set.isEmpty()) {
              realm.remove(c);
            }
          }
        }
        if (realm.isEmpty()) {
          byCategory.remove(actor.realm());
        }
      }
      version++;
    }
    return actor;
  }

  /**
   * Applies a numbered change from {@code node}. Returns false when it does not follow the last one seen
   * (a gap): the caller then pulls a snapshot.
   */
  public synchronized boolean apply(String node, long seq, List<ActorInfo> started, List<String> stopped) {
    NodeShard shard = byNode.computeIfAbsent(node, n -> new NodeShard());
    if (seq <= shard.seq) {
      return true; // already seen, or older than a snapshot we hold
    }
    if (seq != shard.seq + 1) {
      return false;
    }
    shard.seq = seq;
    started.forEach(this::add);
    stopped.forEach(this::remove);
    return true;
  }

  /** Replaces everything known of {@code node} by its snapshot at {@code seq}. */
  public synchronized void replaceNode(String node, long seq, List<ActorInfo> actors) {
    NodeShard shard = byNode.get(node);
    if (shard != null && shard.seq > seq) {
      return; // events newer than this snapshot were applied already
    }
    purgeNode(node);
    NodeShard fresh = new NodeShard();
    fresh.seq = seq;
    byNode.put(node, fresh);
    actors.forEach(this::add);
  }

  /** Forgets a node and its actors; returns how many actors went. */
  public synchronized int purgeNode(String node) {
    NodeShard shard = byNode.remove(node);
    if (shard == null) {
      return 0;
    }
    List<String> ids = new ArrayList<>(shard.ids);
    ids.forEach(this::remove);
    byNode.remove(node); // remove() may have re-created nothing, but keep the map clean
    version++;
    return ids.size();
  }

  /** Sets the sequence number this node has published up to (used for our own shard). */
  public synchronized void setSeq(String node, long seq) {
    byNode.computeIfAbsent(node, n -> new NodeShard()).seq = seq;
  }

  // ------------------------------------------------------------------ reads

  public long seq(String node) {
    NodeShard shard = byNode.get(node);
    return shard == null ? -1 : shard.seq;
  }

  public Set<String> nodes() {
    return byNode.keySet();
  }

  public ActorInfo get(String id) {
    return byId.get(id);
  }

  public int size() {
    return byId.size();
  }

  public int countOn(String node) {
    NodeShard shard = byNode.get(node);
    return shard == null ? 0 : shard.ids.size();
  }

  /** The actors a handle on {@code realm}/{@code category} reaches; cached until the directory changes. */
  public ActorInfo[] reach(String realm, String category) {
    String cacheKey = realm + '/' + category;
    long v = version;
    Reach cached = reachCache.get(cacheKey);
    if (cached != null && cached.version == v) {
      return cached.actors;
    }
    ActorInfo[] actors = compute(realm, category);
    if (reachCache.size() > 10_000) {
      reachCache.clear(); // bounded: category names come from callers
    }
    reachCache.put(cacheKey, new Reach(v, actors));
    return actors;
  }

  private ActorInfo[] compute(String realm, String category) {
    Map<String, Set<ActorInfo>> cats = byCategory.get(realm);
    if (cats == null) {
      return NONE;
    }
    Set<ActorInfo> out = new java.util.LinkedHashSet<>();
    for (Map.Entry<String, Set<ActorInfo>> e : cats.entrySet()) {
      if (category == null || Address.reaches(category, e.getKey())) {
        out.addAll(e.getValue());
      }
    }
    return out.isEmpty() ? NONE : out.toArray(NONE);
  }

  /** Actors of {@code realm} (null: all realms) reached by {@code category} (null: all), sorted by id. */
  public List<ActorInfo> list(String realm, String category) {
    List<ActorInfo> out = new ArrayList<>();
    Collection<String> realms = realm == null ? byCategory.keySet() : List.of(realm);
    for (String r : realms) {
      for (ActorInfo a : reach(r, category)) {
        out.add(a);
      }
    }
    out.sort((a, b) -> a.id().compareTo(b.id()));
    return out;
  }

  public Set<String> realms() {
    return new TreeSet<>(byCategory.keySet());
  }

  /** Exact categories of a realm with at least one actor. */
  public Set<String> categories(String realm) {
    Map<String, Set<ActorInfo>> cats = byCategory.get(realm);
    return cats == null ? Set.of() : new TreeSet<>(cats.keySet());
  }
}
