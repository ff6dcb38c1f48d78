package dev.beach.impl.hosting;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The local actors behind one category address: O(1) add, remove (swap with the last) and random pick, so a
 * category of 100k actors costs no more per deploy than a category of one (a copy-on-write list made
 * deploying N actors O(N²)).
 */
final class CellSet {

  private final ArrayList<ActorCell> cells = new ArrayList<>();
  private final Map<ActorCell, Integer> index = new HashMap<>();

  synchronized boolean add(ActorCell cell) {
    if (index.containsKey(cell)) {
      return false;
    }
    index.put(cell, cells.size());
    cells.add(cell);
    return true;
  }

  synchronized boolean remove(ActorCell cell) {
    Integer at = index.remove(cell);
    if (at == null) {
      return false;
    }
    ActorCell last = cells.remove(cells.size() - 1);
    if (last != cell) {
      cells.set(at, last);
      index.put(last, at);
    }
    return true;
  }

  synchronized boolean isEmpty() {
    return cells.isEmpty();
  }

  /** The less busy of two random actors: near-best balance without scanning them all. */
  synchronized ActorCell pick() {
    int n = cells.size();
    if (n == 0) {
      return null;
    }
    if (n == 1) {
      return cells.get(0);
    }
    ThreadLocalRandom rnd = ThreadLocalRandom.current();
    ActorCell a = cells.get(rnd.nextInt(n));
    ActorCell b = cells.get(rnd.nextInt(n));
    return a.pending() <= b.pending() ? a : b;
  }

  synchronized List<ActorCell> snapshot() {
    return new ArrayList<>(cells);
  }
}
