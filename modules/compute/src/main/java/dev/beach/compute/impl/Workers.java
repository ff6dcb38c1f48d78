package dev.beach.compute.impl;

import dev.beach.ActorHandle;
import dev.beach.ActorInfo;
import dev.beach.Beach;
import dev.beach.BeachException;
import dev.beach.HandleOptions;
import dev.beach.compute.JobOptions;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A job's workers: the category's actors, re-read from the directory as actors come and go. Pull-based: a worker
 * holds at most K chunks and the least busy one gets the next, so a fast worker that keeps answering keeps
 * getting work. A worker that timed out is down to one chunk until it answers again; one that is gone or does
 * not handle the op is dropped for the rest of the job. Used on the job's context only.
 */
final class Workers {

  /** Timeouts in a row after which a worker is dropped for the rest of the job. */
  static final int MAX_STRIKES = 3;
  static final long OVERLOAD_BACKOFF_MS = 100;

  static final class Worker {
    final ActorInfo info;
    final ActorHandle handle;
    int inFlight;
    int strikes;
    boolean dropped;
    /** Dropped only because the directory stopped listing it: it comes back if listed again. */
    boolean unlisted;
    long backoffUntil;
    long items;
    /** The chunks sent to it and not answered yet, so they can be sent elsewhere if it disappears. */
    final java.util.Set<Chunk> holding = new java.util.HashSet<>();

    Worker(ActorInfo info, ActorHandle handle) {
      this.info = info;
      this.handle = handle;
    }

    String id() {
      return info.id();
    }
  }

  private final Beach beach;
  private final String realm;
  private final ActorHandle category;
  private final HandleOptions options;
  private final int perWorker;
  private final Map<String, Worker> workers = new LinkedHashMap<>();
  private final List<Worker> order = new ArrayList<>();
  private int cursor;
  /** Why the last worker was dropped: the job's error if none is left. */
  BeachException lastLoss;

  Workers(Beach beach, String realm, String category, JobOptions options) {
    this.beach = beach;
    this.realm = realm;
    this.category = beach.handle(realm, category);
    // One try per dispatch: the job re-dispatches itself, to another worker, with the same chunk.
    this.options = new HandleOptions().setTimeoutMs(options.getChunkTimeoutMs()).setRetries(0);
    this.perWorker = options.getInFlightPerWorker();
  }

  /**
   * Re-reads the directory: adds new actors, drops the ones no longer listed. True when one was added. The
   * chunks held by a worker that left the directory are handed to {@code orphans}: its answer may never come.
   */
  boolean refresh(java.util.function.Consumer<Chunk> orphans) {
    List<ActorInfo> now = category.actors();
    Set<String> listed = new HashSet<>();
    boolean added = false;
    for (ActorInfo a : now) {
      listed.add(a.id());
      Worker known = workers.get(a.id());
      if (known != null && known.unlisted) {
        known.unlisted = false;
        known.dropped = false;
        added = true;
      } else if (known == null) {
        Worker w = new Worker(a, beach.actor(realm, a.id()).withOptions(options));
        workers.put(a.id(), w);
        order.add(w);
        added = true;
      }
    }
    for (Worker w : order) {
      if (!listed.contains(w.id())) {
        if (!w.dropped) {
          w.dropped = true;
          w.unlisted = true;
        }
        release(w, orphans);
      }
    }
    if (order.size() > 2 * listed.size() + 16) {
      // forget long-gone workers that hold nothing, so a churning category does not grow this list forever
      order.removeIf(w -> w.dropped && w.inFlight == 0 && !listed.contains(w.id()) && workers.remove(w.id()) != null);
    }
    return added;
  }

  /**
   * The usable worker with room for one more chunk that has timed out least lately, then is least busy; not
   * {@code avoid} (the one that just failed the chunk) unless it is the only one. Null when none has room.
   */
  Worker pick(long now, Object avoid) {
    int n = order.size();
    Worker best = null;
    boolean avoided = false;
    for (int k = 0; k < n; k++) {
      Worker w = order.get((cursor + k) % n);
      if (w.dropped || w.backoffUntil > now || w.inFlight >= capacity(w)) {
        continue;
      }
      if (w == avoid) {
        avoided = true;
        continue;
      }
      if (best == null || w.strikes < best.strikes || w.strikes == best.strikes && w.inFlight < best.inFlight) {
        best = w;
      }
    }
    if (best == null && avoided) {
      best = (Worker) avoid;
    }
    if (best != null) {
      cursor = (order.indexOf(best) + 1) % Math.max(1, n);
    }
    return best;
  }

  private int capacity(Worker w) {
    return w.strikes > 0 ? 1 : perWorker;
  }

  /** Workers that may still get chunks, busy or not. */
  int usable() {
    int n = 0;
    for (Worker w : order) {
      if (!w.dropped) {
        n++;
      }
    }
    return n;
  }

  /**
   * Whether every worker is still listed but was dropped for answering 404 (it does not handle the op): waiting
   * for others would not help.
   */
  boolean allRefuse() {
    if (order.isEmpty() || lastLoss == null || lastLoss.code() != dev.beach.ErrorCode.NOT_FOUND) {
      return false;
    }
    for (Worker w : order) {
      if (!w.dropped || w.unlisted) {
        return false;
      }
    }
    return true;
  }

  /** Every worker known to the job, in pick order, dropped ones included: read only. */
  List<Worker> all() {
    return java.util.Collections.unmodifiableList(order);
  }

  /** How the workers stand, for a job that waits on them: usable ones, with room, backing off, dropped. */
  String summary(long now) {
    int usable = 0;
    int room = 0;
    int backingOff = 0;
    for (Worker w : order) {
      if (w.dropped) {
        continue;
      }
      usable++;
      if (w.backoffUntil > now) {
        backingOff++;
      } else if (w.inFlight < capacity(w)) {
        room++;
      }
    }
    return usable + " of " + order.size() + " workers usable, " + room + " with room" + (backingOff > 0 ? ", " + backingOff
      + " backing off after 429" : "") + (lastLoss == null ? "" : "; last one lost: " + lastLoss.getMessage());
  }

  /** The earliest time a backed-off worker may be used again, or 0. */
  long nextBackoffEnd(long now) {
    long next = 0;
    for (Worker w : order) {
      if (!w.dropped && w.backoffUntil > now && (next == 0 || w.backoffUntil < next)) {
        next = w.backoffUntil;
      }
    }
    return next;
  }

  void answered(Worker w, int items) {
    w.strikes = 0;
    w.items += items;
  }

  /**
   * Gone (its node left, it stopped) or useless (does not handle the op): no more chunks for it, and the ones
   * it still holds go to {@code orphans}, since their answers may never come.
   */
  void drop(Worker w, BeachException why, java.util.function.Consumer<Chunk> orphans) {
    w.dropped = true;
    w.unlisted = false;
    lastLoss = why;
    release(w, orphans);
  }

  private static void release(Worker w, java.util.function.Consumer<Chunk> orphans) {
    if (!w.holding.isEmpty()) {
      List<Chunk> held = new ArrayList<>(w.holding);
      w.holding.clear();
      held.forEach(orphans);
    }
  }

  void timedOut(Worker w, BeachException why, java.util.function.Consumer<Chunk> orphans) {
    if (++w.strikes >= MAX_STRIKES) {
      drop(w, why, orphans);
    }
  }

  void overloaded(Worker w, long now) {
    w.backoffUntil = now + OVERLOAD_BACKOFF_MS;
  }
}
