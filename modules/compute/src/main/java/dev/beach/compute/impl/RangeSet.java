package dev.beach.compute.impl;

import io.vertx.core.json.JsonArray;

import java.util.Map;
import java.util.TreeMap;

/**
 * Completed input indexes as merged ranges. Chunks finish roughly in order, so this stays a handful of ranges
 * however many inputs a job has; it is what a timed-out or cancelled job lists as done.
 */
final class RangeSet {

  static final int MAX_LISTED = 100;

  /** start (inclusive) → end (exclusive). */
  private final TreeMap<Long, Long> ranges = new TreeMap<>();

  void add(long start, long end) {
    Map.Entry<Long, Long> before = ranges.floorEntry(start);
    if (before != null && before.getValue() >= start) {
      start = before.getKey();
      end = Math.max(end, before.getValue());
    }
    Map.Entry<Long, Long> after;
    while ((after = ranges.ceilingEntry(start)) != null && after.getKey() <= end) {
      end = Math.max(end, after.getValue());
      ranges.remove(after.getKey());
    }
    ranges.put(start, end);
  }

  boolean contains(long index) {
    Map.Entry<Long, Long> e = ranges.floorEntry(index);
    return e != null && index < e.getValue();
  }

  int size() {
    return ranges.size();
  }

  /** {@code [[first, last], ...]} with inclusive ends, at most {@code max} ranges. */
  JsonArray toJson(int max) {
    JsonArray out = new JsonArray();
    for (Map.Entry<Long, Long> e : ranges.entrySet()) {
      if (out.size() == max) {
        break;
      }
      out.add(new JsonArray().add(e.getKey()).add(e.getValue() - 1));
    }
    return out;
  }
}
