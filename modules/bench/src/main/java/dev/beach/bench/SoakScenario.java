package dev.beach.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Leaks under steady load: three {@code beach node} processes ({@link LocalCluster}) with a deployment of workers, and
 * {@link ClusterLoad}'s mixed load (requests with a deadline, {@code mode=all} gathers, listings, small jobs read to
 * the end and deleted) for {@code --duration}. Every {@code --sample-every} each node's live heap (after a full
 * collection, {@code jcmd GC.class_histogram}) and open file descriptors ({@code /proc/<pid>/fd}) are sampled; after
 * {@code --warmup} both must stay within {@code ±--tolerance} of their first sample, and no request or job item may
 * go wrong. {@code Bench} exits with 1 otherwise.
 */
public final class SoakScenario implements Scenario {

  @Override
  public String name() {
    return "soak";
  }

  @Override
  public String description() {
    return "3 beach node processes under steady mixed load; live heap and open descriptors of each node must stay flat"
      + " [--duration 10m --sample-every 30s --warmup 2m --tolerance 0.10 --job-items 2000 --workers 6 --requesters 2"
      + " --deadline-ms 2000 --margin-ms 2000 --heap 512m --dir DIR]";
  }

  @Override
  public JsonObject run(Options options) throws Exception {
    double duration = options.duration("duration", 600);
    double sampleEvery = options.duration("sample-every", 30);
    double warmup = options.duration("warmup", 120);
    double tolerance = Double.parseDouble(options.text("tolerance", "0.10"));
    long jobItems = options.number("job-items", 2000);
    int workers = (int) options.number("workers", 6);
    int requesters = (int) options.number("requesters", 2);
    long deadlineMs = options.number("deadline-ms", 2000);
    long marginMs = options.number("margin-ms", 2000);
    String heap = options.text("heap", "512m");
    String dirOption = options.text("dir", null);
    options.done();
    if (sampleEvery <= 0 || tolerance <= 0 || jobItems < 1 || workers < 1) {
      throw new IllegalArgumentException("--sample-every, --tolerance, --job-items and --workers must be positive");
    }
    Path dir = dirOption == null ? Files.createTempDirectory("beach-soak-") : Files.createDirectories(Path.of(dirOption));
    ChaosLedger ledger = new ChaosLedger(workers, marginMs);
    HttpCalls http = new HttpCalls();
    System.out.printf("soak: 3 nodes in %s; %s s of load, a sample every %s s, flat within ±%.0f%% after %s s; jobs of %d"
      + " items, %d requesters, %d workers; load %s%n", dir, duration, sampleEvery, tolerance * 100, warmup, jobItems,
      requesters, workers, Bench.loadAverage());
    try (LocalCluster cluster = LocalCluster.start(3, heap, dir)) {
      long t0 = System.nanoTime();
      SoakSeries series = new SoakSeries((long) (warmup * 1000), tolerance);
      ClusterLoad load = new ClusterLoad(cluster, http, ledger, () -> msSince(t0), deadlineMs, 60_000);
      load.deployWorkers(workers);
      awaitWorkers(load, workers);
      load.startRequesters(requesters);
      load.startGatherer(1000);
      load.startListings(2000);
      load.startJobs(jobItems, false);
      long end = t0 + (long) (duration * 1e9);
      long next = t0;
      List<String> lines = new ArrayList<>();
      while (next <= end) {
        sleepUntil(next);
        next += (long) (sampleEvery * 1e9);
        long at = msSince(t0);
        StringBuilder line = new StringBuilder(String.format("%6.0f s  load %5.2f  jobs %6d ", at / 1000.0, Bench.loadAverage(),
          load.jobsRun()));
        for (NodeProcess n : cluster.nodes()) {
          long heapBytes = n.liveHeapBytes();
          long fds = n.openFileDescriptors();
          series.add(n.name(), "live_heap_bytes", at, heapBytes);
          series.add(n.name(), "open_fds", at, fds);
          line.append(String.format(" | %s %6.1f MB %5d fds", n.name(), heapBytes / 1048576.0, fds));
        }
        System.out.println(line);
        lines.add(line.toString());
      }
      load.stop(Duration.ofSeconds(120));
      List<JsonObject> last = load.list(cluster.anyServing());
      ledger.finalListing(last == null ? -1 : last.size(), "the last listing");
      JsonObject verdicts = series.verdicts();
      boolean flat = series.allFlat();
      List<String> broken = new ArrayList<>(ledger.violations());
      if (!flat) {
        broken.add("live heap or open descriptors not flat within ±" + Math.round(tolerance * 100) + "% after the warm-up");
      }
      System.out.println();
      System.out.print(ledger.table());
      System.out.println();
      System.out.println(table(verdicts));
      System.out.println(broken.isEmpty() ? "soak: flat, nothing went wrong" : "soak BROKEN:\n  " + String.join("\n  ", broken));
      System.out.println("node logs: " + dir);
      return new JsonObject().put("duration_s", duration).put("sample_every_s", sampleEvery).put("warmup_s", warmup)
        .put("tolerance", tolerance).put("job_items", jobItems).put("jobs", load.jobsRun()).put("load_after", Bench.loadAverage())
        .put("dir", dir.toString()).put("flat", flat).put("series", verdicts).put("load", ledger.summary())
        .put("ok", broken.isEmpty()).put("violations", new JsonArray(broken));
    }
  }

  /** Per node and measure: baseline, last, worst deviation, slope. Live heap in MB. */
  private static String table(JsonObject verdicts) {
    StringBuilder b = new StringBuilder(String.format("%-5s %-13s %10s %10s %10s %12s %14s %5s%n", "node", "measure", "baseline",
      "last", "max", "max dev %", "slope / min", "flat"));
    for (String node : verdicts.fieldNames()) {
      JsonObject perNode = verdicts.getJsonObject(node);
      for (String measure : perNode.fieldNames()) {
        JsonObject v = perNode.getJsonObject(measure);
        double scale = measure.endsWith("_bytes") ? 1048576.0 : 1;
        b.append(String.format("%-5s %-13s %10.1f %10.1f %10.1f %12.1f %14.2f %5s%n", node, measure,
          v.getLong("baseline", -1L) / scale, v.getLong("last", -1L) / scale, v.getLong("max", -1L) / scale,
          v.getDouble("max_deviation_pct", -1.0), v.getDouble("slope_per_min", 0.0) / scale, v.getBoolean("flat")));
      }
    }
    return b.toString();
  }

  private static void awaitWorkers(ClusterLoad load, int workers) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (!load.listingRound().whole(workers)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the deployment never reached " + workers + " workers");
      }
      Thread.sleep(250);
    }
  }

  private static long msSince(long t0) {
    return (System.nanoTime() - t0) / 1_000_000;
  }

  private static void sleepUntil(long nanos) throws InterruptedException {
    long left = nanos - System.nanoTime();
    if (left > 0) {
      Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
    }
  }
}
