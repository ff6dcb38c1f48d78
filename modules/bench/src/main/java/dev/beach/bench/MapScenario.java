package dev.beach.bench;

import dev.beach.ActorReply;
import dev.beach.ActorSpec;
import dev.beach.BeachNode;
import dev.beach.NodeOptions;
import dev.beach.Placement;
import dev.beach.compute.JobInput;
import dev.beach.compute.JobOptions;
import dev.beach.compute.JobProgress;
import dev.beach.compute.JobResult;
import dev.beach.compute.JobStream;
import dev.beach.compute.Jobs;
import dev.beach.spi.ClusterSupport;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A job over two node JVMs on loopback: square N integers with the category's workers on both nodes (this one
 * drives the job). Default: 1,000,000 items gathered in order, items/s end to end. {@code --file [path]}: stream
 * 10,000,000 items from an NDJSON file (generated when no path is given) in order to a reader that checks each
 * one, with the heap's live set measured half-way, to show memory stays flat however big the input. Both report
 * how many items the workers of each JVM squared: those of the peer crossed the network, the others did not.
 */
public final class MapScenario implements Scenario {

  private static final String CATEGORY = "square";

  @Override
  public String name() {
    return "map";
  }

  @Override
  public String description() {
    return "square N integers over two node JVMs with Jobs.map: items/s [--items 1000000 --chunk 1000 --workers 2"
      + " --inflight 2 --rounds 3 --warmup 3]; --file [path]: stream 10,000,000 items from an NDJSON file, live heap";
  }

  @Override
  public JsonObject run(Options options) throws Exception {
    boolean fileMode = options.flag("file");
    String file = options.text("file", null);
    long items = options.number("items", fileMode ? 10_000_000 : 1_000_000);
    int chunk = (int) options.number("chunk", 1000);
    int workers = (int) options.number("workers", 2);
    int inFlight = (int) options.number("inflight", 2);
    int rounds = (int) options.number("rounds", 3);
    int warmup = (int) options.number("warmup", 3);
    options.done();
    JobOptions jobOptions = new JobOptions().setChunkSize(chunk).setInFlightPerWorker(inFlight);
    int p1 = ClusterSupport.freePort();
    int p2 = ClusterSupport.freePort();
    List<String> seeds = List.of("127.0.0.1:" + p1, "127.0.0.1:" + p2);
    BeachNode node = null;
    try (Peer.Running peer = Peer.start(p2, seeds, CATEGORY + ":Square:" + workers)) {
      try {
        node = Bench.await(BeachNode.clustered(new NodeOptions().setCluster(Peer.loopback(p1, seeds))));
        peer.awaitReady();
        Bench.await(node.beach().deploy(ActorSpec.of(BenchActors.REALM, BenchActors.Square.class, CATEGORY)
          .setInstances(workers).setPlacement(Placement.local())));
        Bench.awaitActors(node, CATEGORY, 2 * workers);
        System.out.println("peer " + peer.nodeId() + " ready; " + workers + " workers on each node");
        Jobs jobs = Jobs.create(node);
        System.out.println("warming up");
        for (int i = 0; i < warmup; i++) {
          Bench.await(jobs.map(BenchActors.REALM, CATEGORY, "square", integers(Math.min(items, 200_000)), jobOptions));
        }
        long[] before = squaredPerJvm(node);
        JsonObject figures = fileMode ? file(jobs, file, items, jobOptions) : gathered(jobs, items, rounds, jobOptions);
        long[] after = squaredPerJvm(node);
        return figures
          .put("ran_in_driver_jvm", after[0] - before[0])
          .put("crossed_network", after[1] - before[1])
          .put("chunk", chunk).put("workers_per_node", workers).put("in_flight_per_worker", inFlight);
      } finally {
        // This node leaves first, so the peer's exit is not a member lost (and logged) mid-way.
        if (node != null) {
          Bench.await(node.close());
        }
      }
    }
  }

  /** Items squared so far by the workers of {@code node}'s JVM and by those of the other JVMs: {here, elsewhere}. */
  private static long[] squaredPerJvm(BeachNode node) throws Exception {
    List<ActorReply> replies = Bench.await(node.beach().handle(BenchActors.REALM, CATEGORY).requestAll("count", null));
    long here = 0;
    Map<String, Long> elsewhere = new HashMap<>();
    for (ActorReply r : replies) {
      if (!r.ok()) {
        throw new IllegalStateException("worker " + r.actor() + " did not say its count: " + r.error());
      }
      long n = ((Number) r.data()).longValue();
      // Every worker of a JVM answers the same JVM-wide count.
      if (r.node().equals(node.id())) {
        here = n;
      } else {
        elsewhere.put(r.node(), n);
      }
    }
    return new long[]{here, elsewhere.values().stream().mapToLong(Long::longValue).sum()};
  }

  private static JsonObject gathered(Jobs jobs, long items, int rounds, JobOptions options) throws Exception {
    List<Integer> inputs = integers(items);
    double best = 0;
    double bestSeconds = 0;
    for (int round = 1; round <= rounds; round++) {
      long t0 = System.nanoTime();
      JobResult result = Bench.await(jobs.map(BenchActors.REALM, CATEGORY, "square", inputs, options));
      double seconds = (System.nanoTime() - t0) / 1e9;
      check(result, items);
      double rate = items / seconds;
      System.out.printf("round %d: %d items in %.2f s, %.0f items/s%n", round, items, seconds, rate);
      if (rate > best) {
        best = rate;
        bestSeconds = seconds;
      }
    }
    return new JsonObject().put("mode", "map").put("items", items).put("rounds", rounds)
      .put("seconds", Bench.round2(bestSeconds)).put("items_per_s", Math.round(best)).put("target_items_per_s", 500_000);
  }

  private static void check(JobResult result, long items) {
    if (!result.ok() || result.size() != items) {
      throw new IllegalStateException("expected " + items + " values, got " + result.size() + " with "
        + result.errors().size() + " errors, first: " + (result.errors().isEmpty() ? "-" : result.errors().get(0)));
    }
    for (int i = 0; i < items; i++) {
      if (((Number) result.value(i)).longValue() != (long) i * i) {
        throw new IllegalStateException("wrong value at " + i + ": " + result.value(i));
      }
    }
  }

  private static JsonObject file(Jobs jobs, String given, long items, JobOptions options) throws Exception {
    Path path = given != null ? Path.of(given) : generate(items);
    try {
      long bytes = Files.size(path);
      long lines = given == null ? items : lineCount(path);
      if (lines == 0) {
        throw new IllegalArgumentException(path + " holds no items");
      }
      AtomicLong count = new AtomicLong();
      AtomicLong wrong = new AtomicLong();
      CompletableFuture<Long> liveHeap = new CompletableFuture<>();
      long t0 = System.nanoTime();
      JobStream stream = jobs.stream(BenchActors.REALM, CATEGORY, "square", JobInput.ndjsonFile(path.toString()), options);
      Promise<Void> done = Promise.promise();
      stream.exceptionHandler(done::tryFail).endHandler(v -> done.tryComplete());
      stream.handler(r -> {
        long i = count.getAndIncrement();
        // Generated files hold 0, 1, 2, ...: each result must be its index squared, in order.
        if (given == null && (r.index() != i || !r.ok() || ((Number) r.value()).longValue() != i * i)) {
          wrong.incrementAndGet();
        }
        if (i == lines / 2) {
          // Half-way, in full flow: what the job holds. Off the event loop, which keeps feeding the job.
          CompletableFuture.runAsync(() -> liveHeap.complete(Bench.liveHeapBytes()));
        }
        if (i % 1_000_000 == 999_999) {
          System.out.printf("%d items%n", i + 1);
        }
      });
      Bench.await(done.future());
      double seconds = (System.nanoTime() - t0) / 1e9;
      JobProgress p = stream.progress();
      if (wrong.get() > 0) {
        throw new IllegalStateException(wrong.get() + " results out of order or wrong");
      }
      return new JsonObject().put("mode", "file").put("items", count.get()).put("file_mb", Bench.round2(bytes / 1048576.0))
        .put("seconds", Bench.round2(seconds)).put("items_per_s", Math.round(count.get() / seconds))
        .put("heap_live_mb_half_way", Bench.round2(liveHeap.get() / 1048576.0))
        .put("heap_max_mb", Runtime.getRuntime().maxMemory() / 1048576)
        .put("peak_items_held", p.peakHeld()).put("max_buffered_results", options.getMaxBufferedResults());
    } finally {
      if (given == null) {
        Files.deleteIfExists(path);
      }
    }
  }

  private static long lineCount(Path path) throws Exception {
    try (var lines = Files.lines(path, StandardCharsets.UTF_8)) {
      return lines.filter(l -> !l.isBlank()).count();
    }
  }

  private static Path generate(long items) throws Exception {
    Path path = Files.createTempFile("beach-map-", ".ndjson");
    path.toFile().deleteOnExit();
    long t0 = System.nanoTime();
    try (BufferedWriter w = Files.newBufferedWriter(path, StandardCharsets.UTF_8)) {
      for (long i = 0; i < items; i++) {
        w.write(Long.toString(i));
        w.write('\n');
      }
    }
    System.out.printf("wrote %d items (%d MB) to %s in %.1f s%n", items, Files.size(path) / 1048576, path,
      (System.nanoTime() - t0) / 1e9);
    return path;
  }

  /** 0..n-1 without a million boxed integers held up front. */
  static List<Integer> integers(long n) {
    return new AbstractList<>() {
      @Override
      public Integer get(int index) {
        return index;
      }

      @Override
      public int size() {
        return (int) n;
      }
    };
  }
}
