package dev.beach.bench;

import dev.beach.ActorSpec;
import dev.beach.BeachNode;
import dev.beach.ClusterOptions;
import dev.beach.NodeOptions;
import dev.beach.Placement;
import dev.beach.compute.JobInput;
import dev.beach.compute.JobOptions;
import dev.beach.compute.JobProgress;
import dev.beach.compute.JobResult;
import dev.beach.compute.JobStream;
import dev.beach.compute.Jobs;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;

import java.io.BufferedWriter;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A job over two node JVMs on loopback: square N integers with the category's workers on both nodes (this one
 * drives the job). Default: 1,000,000 items gathered in order, items/s end to end. {@code --file [path]}: stream
 * 10,000,000 items from an NDJSON file (generated when no path is given) in order to a reader that checks each
 * one, reporting the peak heap, to show memory stays flat however big the input.
 */
public final class MapScenario implements Scenario {

  @Override
  public String name() {
    return "map";
  }

  @Override
  public String description() {
    return "square N integers over two node JVMs with Jobs.map: items/s [--items 1000000 --chunk 1000 --workers 2"
      + " --inflight 2]; --file [path]: stream 10,000,000 items from an NDJSON file, peak heap";
  }

  @Override
  public JsonObject run(List<String> args) throws Exception {
    boolean fileMode = args.contains("--file");
    long items = Bench.option(args, "items", fileMode ? 10_000_000 : 1_000_000);
    int chunk = (int) Bench.option(args, "chunk", 1000);
    int workers = (int) Bench.option(args, "workers", 2);
    int inFlight = (int) Bench.option(args, "inflight", 2);
    JobOptions options = new JobOptions().setChunkSize(chunk).setInFlightPerWorker(inFlight);
    int p1 = RpcScenario.freePort();
    int p2 = RpcScenario.freePort();
    String seeds = "127.0.0.1:" + p1 + ",127.0.0.1:" + p2;
    Process peer = startPeer(p2, seeds, workers);
    BeachNode node = null;
    try {
      node = RpcScenario.await(BeachNode.clustered(new NodeOptions().setCluster(new ClusterOptions()
        .setHost("127.0.0.1").setPort(p1).setSeeds(Arrays.asList(seeds.split(","))))));
      String peerId = RpcScenario.awaitReady(peer);
      RpcScenario.await(node.beach().deploy(ActorSpec.of(MapPeer.REALM, MapPeer.Square.class, MapPeer.CATEGORY)
        .setInstances(workers).setPlacement(Placement.local())));
      long deadline = System.currentTimeMillis() + 30_000;
      while (node.beach().directory(MapPeer.REALM, MapPeer.CATEGORY).size() < 2 * workers) {
        if (System.currentTimeMillis() > deadline) {
          throw new IllegalStateException("the peer's workers never showed up in the directory");
        }
        Thread.sleep(20);
      }
      System.out.println("peer " + peerId + " ready; " + workers + " workers on each node");
      Jobs jobs = Jobs.create(node);
      System.out.println("warming up");
      for (int i = 0; i < 3; i++) {
        RpcScenario.await(jobs.map(MapPeer.REALM, MapPeer.CATEGORY, "square", integers(200_000), options));
      }
      JsonObject figures = fileMode ? file(jobs, args, items, options) : gathered(jobs, items, options);
      return figures.put("chunk", chunk).put("workers_per_node", workers).put("in_flight_per_worker", inFlight);
    } finally {
      // This node leaves first, so the peer's exit is not a member lost (and logged) mid-way.
      if (node != null) {
        RpcScenario.await(node.close());
      }
      peer.getOutputStream().close();
      peer.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
      peer.destroy();
    }
  }

  private static JsonObject gathered(Jobs jobs, long items, JobOptions options) throws Exception {
    List<Integer> inputs = integers(items);
    double best = 0;
    double bestSeconds = 0;
    for (int round = 1; round <= 3; round++) {
      long t0 = System.nanoTime();
      JobResult result = RpcScenario.await(jobs.map(MapPeer.REALM, MapPeer.CATEGORY, "square", inputs, options));
      double seconds = (System.nanoTime() - t0) / 1e9;
      check(result, items);
      double rate = items / seconds;
      System.out.printf("round %d: %d items in %.2f s, %.0f items/s%n", round, items, seconds, rate);
      if (rate > best) {
        best = rate;
        bestSeconds = seconds;
      }
    }
    return new JsonObject().put("mode", "map").put("items", items).put("seconds", Math.round(bestSeconds * 100) / 100.0)
      .put("items_per_s", Math.round(best)).put("target_items_per_s", 500_000);
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

  private static JsonObject file(Jobs jobs, List<String> args, long items, JobOptions options) throws Exception {
    int at = args.indexOf("--file");
    String given = at + 1 < args.size() && !args.get(at + 1).startsWith("--") ? args.get(at + 1) : null;
    Path path = given != null ? Path.of(given) : generate(items);
    try {
      long bytes = Files.size(path);
      HeapWatch heap = new HeapWatch();
      heap.start();
      AtomicLong count = new AtomicLong();
      AtomicLong wrong = new AtomicLong();
      long t0 = System.nanoTime();
      JobStream stream = jobs.stream(MapPeer.REALM, MapPeer.CATEGORY, "square", JobInput.ndjsonFile(path.toString()), options);
      Promise<Void> done = Promise.promise();
      stream.exceptionHandler(done::tryFail).endHandler(v -> done.tryComplete());
      stream.handler(r -> {
        long i = count.getAndIncrement();
        // Generated files hold 0, 1, 2, ...: each result must be its index squared, in order.
        if (given == null && (r.index() != i || !r.ok() || ((Number) r.value()).longValue() != i * i)) {
          wrong.incrementAndGet();
        }
        if (i % 1_000_000 == 999_999) {
          System.out.printf("%d items, heap %d MB%n", i + 1, heap.usedNow() / 1048576);
        }
      });
      RpcScenario.await(done.future());
      double seconds = (System.nanoTime() - t0) / 1e9;
      heap.stopWatching();
      JobProgress p = stream.progress();
      if (wrong.get() > 0) {
        throw new IllegalStateException(wrong.get() + " results out of order or wrong");
      }
      return new JsonObject().put("mode", "file").put("items", count.get()).put("file_mb", bytes / 1048576)
        .put("seconds", Math.round(seconds * 100) / 100.0).put("items_per_s", Math.round(count.get() / seconds))
        .put("peak_heap_used_mb", heap.peakUsed / 1048576).put("peak_heap_after_gc_mb", heap.peakAfterGc / 1048576)
        .put("heap_max_mb", Runtime.getRuntime().maxMemory() / 1048576)
        .put("peak_items_held", p.peakHeld()).put("max_buffered_results", options.getMaxBufferedResults());
    } finally {
      if (given == null) {
        Files.deleteIfExists(path);
      }
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

  /** Samples the heap: the most in use, and the most still in use right after a collection (the live set). */
  private static final class HeapWatch extends Thread {
    private final List<MemoryPoolMXBean> pools = new ArrayList<>();
    volatile long peakUsed;
    volatile long peakAfterGc;
    private volatile boolean running = true;

    HeapWatch() {
      super("heap-watch");
      setDaemon(true);
      for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
        if (pool.getType() == MemoryType.HEAP) {
          pools.add(pool);
        }
      }
    }

    long usedNow() {
      return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @Override
    public void run() {
      while (running) {
        peakUsed = Math.max(peakUsed, usedNow());
        long afterGc = 0;
        for (MemoryPoolMXBean pool : pools) {
          MemoryUsage u = pool.getCollectionUsage();
          afterGc += u == null ? 0 : u.getUsed();
        }
        peakAfterGc = Math.max(peakAfterGc, afterGc);
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    void stopWatching() {
      running = false;
    }
  }

  static Process startPeer(int port, String seeds, int workers) throws Exception {
    String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx1g"));
    cmd.addAll(HazelcastFlags.FLAGS);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), MapPeer.class.getName(),
      Integer.toString(port), seeds, Integer.toString(workers)));
    return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }
}
