package dev.beach.impl.deploy;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * A cluster-wide map of strings (JSON text, never Java serialization): a Hazelcast {@code IMap} on a clustered node
 * (its backups are configured in {@code HazelcastSupport}), a plain map on a single node. Every call may block on
 * the network: call it from a worker. Listeners hear every change with the new value (null: removed), on
 * Hazelcast's event threads.
 */
interface SharedMap {

  Map<String, String> entries();

  String get(String key);

  String putIfAbsent(String key, String value);

  boolean replace(String key, String expected, String value);

  void set(String key, String value);

  String remove(String key);

  /** Removes {@code key} only while its value is {@code value}. */
  boolean remove(String key, String value);

  void listen(BiConsumer<String, String> changed);

  void close();

  static SharedMap of(HazelcastInstance hz, String name) {
    return hz == null ? new Local() : new Clustered(hz.getMap(name));
  }

  /** A single node's map: listeners are told synchronously. */
  final class Local implements SharedMap {
    private final ConcurrentHashMap<String, String> map = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<BiConsumer<String, String>> listeners = new CopyOnWriteArrayList<>();

    @Override
    public Map<String, String> entries() {
      return new HashMap<>(map);
    }

    @Override
    public String get(String key) {
      return map.get(key);
    }

    @Override
    public String putIfAbsent(String key, String value) {
      String old = map.putIfAbsent(key, value);
      if (old == null) {
        tell(key, value);
      }
      return old;
    }

    @Override
    public boolean replace(String key, String expected, String value) {
      boolean done = map.replace(key, expected, value);
      if (done) {
        tell(key, value);
      }
      return done;
    }

    @Override
    public void set(String key, String value) {
      map.put(key, value);
      tell(key, value);
    }

    @Override
    public String remove(String key) {
      String old = map.remove(key);
      if (old != null) {
        tell(key, null);
      }
      return old;
    }

    @Override
    public boolean remove(String key, String value) {
      boolean done = map.remove(key, value);
      if (done) {
        tell(key, null);
      }
      return done;
    }

    @Override
    public void listen(BiConsumer<String, String> changed) {
      listeners.add(changed);
    }

    private void tell(String key, String value) {
      listeners.forEach(l -> l.accept(key, value));
    }

    @Override
    public void close() {
      listeners.clear();
    }
  }

  /** The Hazelcast map. */
  final class Clustered implements SharedMap {
    private final IMap<String, String> map;
    private UUID listener;

    Clustered(IMap<String, String> map) {
      this.map = map;
    }

    @Override
    public Map<String, String> entries() {
      return new HashMap<>(map);
    }

    @Override
    public String get(String key) {
      return map.get(key);
    }

    @Override
    public String putIfAbsent(String key, String value) {
      return map.putIfAbsent(key, value);
    }

    @Override
    public boolean replace(String key, String expected, String value) {
      return map.replace(key, expected, value);
    }

    @Override
    public void set(String key, String value) {
      map.set(key, value);
    }

    @Override
    public String remove(String key) {
      return map.remove(key);
    }

    @Override
    public boolean remove(String key, String value) {
      return map.remove(key, value);
    }

    @Override
    public void listen(BiConsumer<String, String> changed) {
      listener = map.addEntryListener(new Listener(changed), true);
    }

    @Override
    public void close() {
      if (listener != null) {
        try {
          map.removeEntryListener(listener);
        } catch (RuntimeException ignored) {
          // Hazelcast already shutting down
        }
      }
    }

    private record Listener(BiConsumer<String, String> changed) implements EntryAddedListener<String, String>,
      EntryUpdatedListener<String, String>, EntryRemovedListener<String, String> {

      @Override
      public void entryAdded(EntryEvent<String, String> e) {
        changed.accept(e.getKey(), e.getValue());
      }

      @Override
      public void entryUpdated(EntryEvent<String, String> e) {
        changed.accept(e.getKey(), e.getValue());
      }

      @Override
      public void entryRemoved(EntryEvent<String, String> e) {
        changed.accept(e.getKey(), null);
      }
    }
  }
}
