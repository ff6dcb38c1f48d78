package dev.beach.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The samples of a soak run, per node and per measure (live heap bytes, open file descriptors), and the verdict on
 * each: flat when every sample after the warm-up stays within {@code ±tolerance} of their median. The
 * slope (least squares, per minute, over the samples after the warm-up) says which way a measure drifts and how fast.
 * Times are milliseconds since the run began. Thread-safe.
 */
final class SoakSeries {

  record Sample(long atMs, long value) {
  }

  private final long warmupMs;
  private final double tolerance;
  /** node -> measure -> samples, in the order they were taken. */
  private final Map<String, Map<String, List<Sample>>> series = new LinkedHashMap<>();

  SoakSeries(long warmupMs, double tolerance) {
    this.warmupMs = warmupMs;
    this.tolerance = tolerance;
  }

  synchronized void add(String node, String measure, long atMs, long value) {
    series.computeIfAbsent(node, n -> new LinkedHashMap<>()).computeIfAbsent(measure, m -> new ArrayList<>())
      .add(new Sample(atMs, value));
  }

  /** Each series' verdict: {@code {node: {measure: {flat, baseline, last, min, max, max_deviation_pct, slope_per_min, samples}}}}. */
  synchronized JsonObject verdicts() {
    JsonObject out = new JsonObject();
    series.forEach((node, measures) -> {
      JsonObject perNode = new JsonObject();
      measures.forEach((measure, samples) -> perNode.put(measure, verdict(samples)));
      out.put(node, perNode);
    });
    return out;
  }

  /** Whether every series was measured after the warm-up at least twice and stayed flat. */
  synchronized boolean allFlat() {
    JsonObject v = verdicts();
    if (v.isEmpty()) {
      return false;
    }
    for (String node : v.fieldNames()) {
      JsonObject perNode = v.getJsonObject(node);
      for (String measure : perNode.fieldNames()) {
        if (!perNode.getJsonObject(measure).getBoolean("flat")) {
          return false;
        }
      }
    }
    return true;
  }

  private JsonObject verdict(List<Sample> samples) {
    List<Sample> after = samples.stream().filter(s -> s.atMs >= warmupMs).toList();
    JsonArray all = new JsonArray();
    samples.forEach(s -> all.add(new JsonArray().add(s.atMs / 1000).add(s.value)));
    if (after.size() < 2) {
      return new JsonObject().put("flat", false).put("why", after.size() + " sample(s) after the warm-up, 2 needed")
        .put("samples", all);
    }
    // The median after the warm-up, not the first sample: one sample taken during a burst of connections would
    // otherwise make a steady series look like it moved.
    long[] sorted = after.stream().mapToLong(Sample::value).sorted().toArray();
    long baseline = sorted[sorted.length / 2];
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    double worst = 0;
    for (Sample s : after) {
      min = Math.min(min, s.value);
      max = Math.max(max, s.value);
      worst = Math.max(worst, Math.abs(s.value - baseline) / (double) Math.max(1, baseline));
    }
    return new JsonObject().put("flat", worst <= tolerance).put("baseline", baseline)
      .put("last", after.get(after.size() - 1).value).put("min", min).put("max", max)
      .put("max_deviation_pct", Bench.round2(worst * 100)).put("slope_per_min", Bench.round2(slopePerMinute(after)))
      .put("samples", all);
  }

  /** Least-squares slope of value over time, per minute. */
  static double slopePerMinute(List<Sample> samples) {
    double n = samples.size();
    double meanT = samples.stream().mapToDouble(s -> s.atMs / 60_000.0).sum() / n;
    double meanV = samples.stream().mapToDouble(s -> s.value).sum() / n;
    double num = 0;
    double den = 0;
    for (Sample s : samples) {
      double dt = s.atMs / 60_000.0 - meanT;
      num += dt * (s.value - meanV);
      den += dt * dt;
    }
    return den == 0 ? 0 : num / den;
  }
}
