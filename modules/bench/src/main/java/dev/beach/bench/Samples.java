package dev.beach.bench;

import java.util.Arrays;

/**
 * Latencies in nanoseconds, every one of them, so percentiles come from all samples of a run (never an average
 * of per-round percentiles). Not thread-safe: one recorder per sequence of requests, merged with {@link #addAll}.
 */
final class Samples {

  private long[] values = new long[1024];
  private int size;
  private boolean sorted = true;

  void add(long nanos) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = nanos;
    sorted = false;
  }

  void addAll(Samples other) {
    if (size + other.size > values.length) {
      values = Arrays.copyOf(values, Math.max(size + other.size, size * 2));
    }
    System.arraycopy(other.values, 0, values, size, other.size);
    size += other.size;
    sorted = false;
  }

  int size() {
    return size;
  }

  /** The {@code q}-quantile (0 &lt; q &le; 1) by nearest rank: the smallest sample with at least q of all at or below it. */
  long percentile(double q) {
    if (size == 0) {
      return 0;
    }
    if (!sorted) {
      Arrays.sort(values, 0, size);
      sorted = true;
    }
    int rank = (int) Math.ceil(q * size);
    return values[Math.max(0, Math.min(size, rank) - 1)];
  }

  /** A latency in milliseconds with 3 decimals, as the JSON lines show them. */
  static double millis(long nanos) {
    return Math.round(nanos / 1000.0) / 1000.0;
  }

  /** A latency in microseconds with 1 decimal. */
  static double micros(long nanos) {
    return Math.round(nanos / 100.0) / 10.0;
  }
}
