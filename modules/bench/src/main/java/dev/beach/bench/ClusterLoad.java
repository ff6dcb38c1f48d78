package dev.beach.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The client side of the chaos and soak runs, over the gateways of a {@link LocalCluster}: request loops with a
 * deadline ({@code ?timeout=}), gathers from every worker ({@code mode=all}), listings, and jobs whose NDJSON input
 * is {@code {"id": i}} for each index, streamed up and read back in full. Each call goes to a node picked at random
 * among those serving, and is recorded in the {@link ChaosLedger} with the client's own timing.
 */
final class ClusterLoad {

  static final String CATEGORY = "work";
  static final String DEPLOYMENT = "workers";
  /** A client waits this long past a deadline before it gives up: a request that late is a hang, and is counted. */
  private static final long CLIENT_GRACE_MS = 15_000;
  /** How long a client waits for a listing before it counts it as failed (core bounds each node's part to 2 s). */
  private static final long LISTING_CLIENT_TIMEOUT_MS = 30_000;

  private final LocalCluster cluster;
  private final HttpCalls http;
  private final ChaosLedger ledger;
  private final LongSupplier clock;
  private final long deadlineMs;
  private final long stallMs;
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running = true;
  private final AtomicLong jobsRun = new AtomicLong();

  /**
   * @param clock    milliseconds since the run began, the ledger's clock
   * @param stallMs  a job whose upload or results make no progress for this long is given up on
   */
  ClusterLoad(LocalCluster cluster, HttpCalls http, ChaosLedger ledger, LongSupplier clock, long deadlineMs, long stallMs) {
    this.cluster = cluster;
    this.http = http;
    this.ledger = ledger;
    this.clock = clock;
    this.deadlineMs = deadlineMs;
    this.stallMs = stallMs;
  }

  /** Applies the deployment of {@code instances} workers, spread over the nodes, restarted always. */
  void deployWorkers(int instances) {
    NodeProcess n = cluster.anyServing();
    JsonObject d = new JsonObject().put("realm", LocalCluster.REALM).put("class", LocalCluster.WORKER_CLASS)
      .put("categories", new JsonArray().add(CATEGORY)).put("instances", instances).put("strategy", "spread")
      .put("restart", "always");
    HttpCalls.Answer a = http.put(n.gatewayUrl() + "/v1/deployments/" + DEPLOYMENT, d, Duration.ofSeconds(60));
    if (!a.ok()) {
      throw new IllegalStateException("PUT /v1/deployments/" + DEPLOYMENT + " answered " + a.outcome() + ": " + a.body());
    }
  }

  /** {@code n} loops of single requests with the deadline, one after another each. */
  void startRequesters(int n) {
    for (int i = 0; i < n; i++) {
      loop("requests-" + i, 0, () -> {
        NodeProcess entry = cluster.anyServing();
        if (entry == null) {
          return;
        }
        long sent = clock.getAsLong();
        HttpCalls.Answer a = http.post(dispatchUrl(entry, "one"), new JsonObject().put("seq", sent), clientTimeout(deadlineMs));
        ledger.request("one", entry.name(), sent, deadlineMs, a.outcome(), a.elapsedMs());
        pauseAfterFailure(a);
      });
    }
  }

  /** A gather from every worker ({@code mode=all}) every {@code everyMs}. */
  void startGatherer(long everyMs) {
    loop("gather", everyMs, () -> {
      NodeProcess entry = cluster.anyServing();
      if (entry == null) {
        return;
      }
      long sent = clock.getAsLong();
      HttpCalls.Answer a = http.post(dispatchUrl(entry, "all"), new JsonObject().put("all", sent), clientTimeout(deadlineMs));
      String outcome = a.outcome();
      if (a.ok()) {
        JsonArray replies = new JsonObject(a.body()).getJsonArray("replies", new JsonArray());
        long failed = replies.stream().filter(r -> !((JsonObject) r).getBoolean("ok", false)).count();
        outcome = failed == 0 ? outcome : outcome + " partial";
      }
      ledger.request("all", entry.name(), sent, deadlineMs, outcome, a.elapsedMs());
    });
  }

  /** A cluster-wide listing of the workers every {@code everyMs}, recorded like a request with the listing bound. */
  void startListings(long everyMs) {
    loop("listings", everyMs, () -> {
      NodeProcess entry = cluster.anyServing();
      if (entry != null) {
        list(entry);
      }
    });
  }

  /** Jobs of {@code items} items, one after another; each deleted once read. */
  void startJobs(long items, boolean announce) {
    loop("jobs", 0, () -> {
      NodeProcess entry = cluster.anyServing();
      if (entry == null) {
        return;
      }
      JobCount count = new JobCount(items);
      long from = clock.getAsLong();
      JobCount.Outcome seen = runJob(entry, count);
      long to = clock.getAsLong();
      JobCount.Outcome outcome = ledger.job(count, seen, entry.name(), from, to);
      long n = jobsRun.incrementAndGet();
      if (announce) {
        System.out.printf("job %d via %s: %s, %d of %d back, %d duplicated, %d failed items in %.1f s%s%n", n, entry.name(),
          outcome.name().toLowerCase(), count.distinct(), count.total(), count.duplicated(), count.failedItems(),
          (to - from) / 1000.0, count.jobError() == null ? "" : ": " + count.jobError());
      }
    });
  }

  long jobsRun() {
    return jobsRun.get();
  }

  /** Stops every loop and waits for each to finish what it is doing (a job is read to its end). */
  void stop(Duration timeout) throws InterruptedException {
    running = false;
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Thread t : threads) {
      t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
    }
    for (Thread t : threads) {
      if (t.isAlive()) {
        t.interrupt();
      }
    }
  }

  private void loop(String name, long everyMs, Runnable step) {
    Thread t = new Thread(() -> {
      while (running) {
        long t0 = System.nanoTime();
        try {
          step.run();
        } catch (RuntimeException e) {
          System.out.println(name + ": " + e);
        }
        long rest = everyMs - HttpCalls.msSince(t0);
        if (!sleep(Math.max(cluster.anyServing() == null ? 100 : 0, rest))) {
          return;
        }
      }
    }, "load-" + name);
    t.setDaemon(true);
    threads.add(t);
    t.start();
  }

  private static boolean sleep(long ms) {
    if (ms <= 0) {
      return true;
    }
    try {
      Thread.sleep(ms);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** A connection refused or reset comes back at once: do not spin on it. */
  private static void pauseAfterFailure(HttpCalls.Answer a) {
    if (a.status() == 0) {
      sleep(50);
    }
  }

  private String dispatchUrl(NodeProcess entry, String mode) {
    return entry.gatewayUrl() + "/v1/realms/" + LocalCluster.REALM + "/categories/" + CATEGORY + "/echo?timeout=" + deadlineMs
      + ("one".equals(mode) ? "" : "&mode=" + mode);
  }

  private static Duration clientTimeout(long deadlineMs) {
    return Duration.ofMillis(deadlineMs + CLIENT_GRACE_MS);
  }

  /** One listing of the workers through {@code entry}, recorded; the actors' ids and nodes, or null when it failed. */
  List<JsonObject> list(NodeProcess entry) {
    long sent = clock.getAsLong();
    HttpCalls.Answer a = http.get(entry.gatewayUrl() + "/v1/realms/" + LocalCluster.REALM + "/actors?category=" + CATEGORY,
      Duration.ofMillis(LISTING_CLIENT_TIMEOUT_MS));
    // The client gives a listing no deadline: only its latency is kept (core bounds each node's part to 2 s).
    ledger.request("listing", entry.name(), sent, 0, a.outcome(), a.elapsedMs());
    if (!a.ok()) {
      return null;
    }
    List<JsonObject> out = new ArrayList<>();
    new JsonArray(a.body()).forEach(o -> out.add((JsonObject) o));
    return out;
  }

  /** One round of listings from every serving node, in parallel. */
  ListingRound listingRound() throws InterruptedException {
    List<NodeProcess> serving = new ArrayList<>();
    Set<String> servingIds = new HashSet<>();
    for (NodeProcess n : cluster.nodes()) {
      if (n.alive() && !n.frozen() && n.nodeId() != null) {
        serving.add(n);
        servingIds.add(n.nodeId());
      }
    }
    List<CompletableFuture<List<JsonObject>>> views = new ArrayList<>();
    for (NodeProcess n : serving) {
      views.add(CompletableFuture.supplyAsync(() -> list(n)));
    }
    List<List<JsonObject>> answers = new ArrayList<>();
    for (CompletableFuture<List<JsonObject>> v : views) {
      try {
        answers.add(v.get());
      } catch (ExecutionException e) {
        answers.add(null);
      }
    }
    // A node that stopped serving while we asked makes the round meaningless for "on serving nodes": judged as is.
    for (NodeProcess n : serving) {
      if (!n.alive() || n.frozen() || !servingIds.contains(n.nodeId())) {
        return new ListingRound(answers, servingIds, false);
      }
    }
    return new ListingRound(answers, servingIds, true);
  }

  /** What each serving node listed in one round. */
  record ListingRound(List<List<JsonObject>> views, Set<String> servingIds, boolean stable) {

    int mostListed() {
      return views.stream().mapToInt(v -> v == null ? 0 : v.size()).max().orElse(0);
    }

    /** Every serving node listed exactly {@code desired} actors, the same ones, all on serving nodes. */
    boolean whole(int desired) {
      if (!stable || views.isEmpty()) {
        return false;
      }
      Set<String> first = null;
      for (List<JsonObject> view : views) {
        if (view == null || view.size() != desired) {
          return false;
        }
        Set<String> ids = new HashSet<>();
        for (JsonObject a : view) {
          if (!servingIds.contains(a.getString("node"))) {
            return false;
          }
          ids.add(a.getString("id"));
        }
        if (ids.size() != desired || (first != null && !first.equals(ids))) {
          return false;
        }
        first = ids;
      }
      return true;
    }

    /** Per view: how many actors on which node, for a report. */
    String describe() {
      List<String> out = new ArrayList<>();
      for (List<JsonObject> view : views) {
        if (view == null) {
          out.add("(failed)");
          continue;
        }
        java.util.Map<String, Integer> byNode = new java.util.TreeMap<>();
        view.forEach(a -> byNode.merge(shortId(a.getString("node")) + (servingIds.contains(a.getString("node")) ? "" : "(gone)"),
          1, Integer::sum));
        out.add(byNode.toString());
      }
      return out.toString();
    }

    private static String shortId(String id) {
      return id == null ? "?" : id.substring(0, Math.min(8, id.length()));
    }
  }

  /**
   * Runs one job through {@code entry}: streams {@code {"id": i}} for every index as NDJSON, then reads every result
   * into {@code count}, then deletes the job. Gives up when nothing moves for the stall bound.
   */
  JobCount.Outcome runJob(NodeProcess entry, JobCount count) {
    String base = entry.gatewayUrl();
    Progress progress = new Progress();
    HttpRequest upload = HttpRequest.newBuilder(URI.create(base + "/v1/realms/" + LocalCluster.REALM + "/jobs?category="
        + CATEGORY + "&op=echo")).header("Content-Type", "application/x-ndjson")
      .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ItemsInput(count.total(), progress))).build();
    CompletableFuture<HttpResponse<String>> started = http.client().sendAsync(upload, HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> accepted;
    try {
      accepted = awaitProgress(started, progress);
    } catch (TimeoutException e) {
      started.cancel(true);
      System.out.println("job upload via " + entry.name() + " made no progress for " + stallMs + " ms after "
        + progress.items + " items");
      return JobCount.Outcome.STALLED;
    } catch (ExecutionException e) {
      return JobCount.Outcome.INTERRUPTED;
    }
    if (accepted.statusCode() != 202) {
      count.failedToStart(accepted.statusCode() + " " + HttpCalls.errorName(accepted.body()) + " " + accepted.body());
      return JobCount.Outcome.FAILED;
    }
    String id = new JsonObject(accepted.body()).getString("id");
    try {
      return readResults(base + "/v1/jobs/" + id + "/results", count, progress);
    } finally {
      if (entry.alive() && !entry.frozen() && base.equals(entry.gatewayUrl())) {
        http.delete(base + "/v1/jobs/" + id, Duration.ofSeconds(30));
      }
    }
  }

  private JobCount.Outcome readResults(String url, JobCount count, Progress progress) {
    CompletableFuture<HttpResponse<InputStream>> answer = http.client().sendAsync(HttpRequest.newBuilder(URI.create(url)).GET()
      .build(), HttpResponse.BodyHandlers.ofInputStream());
    HttpResponse<InputStream> r;
    try {
      r = awaitProgress(answer, progress);
    } catch (TimeoutException e) {
      answer.cancel(true);
      return JobCount.Outcome.STALLED;
    } catch (ExecutionException e) {
      return JobCount.Outcome.INTERRUPTED;
    }
    if (r.statusCode() != 200) {
      try (InputStream in = r.body()) {
        String body = new String(in.readNBytes(4096), StandardCharsets.UTF_8);
        count.failedToStart(r.statusCode() + " " + body);
      } catch (IOException e) {
        return JobCount.Outcome.INTERRUPTED;
      }
      return JobCount.Outcome.FAILED;
    }
    InputStream in = r.body();
    // A watchdog closes the stream when nothing arrives for the stall bound: the read below then fails.
    Thread watchdog = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        if (System.nanoTime() - progress.lastNanos > TimeUnit.MILLISECONDS.toNanos(stallMs)) {
          progress.stalled = true;
          try {
            in.close();
          } catch (IOException ignored) {
            // closing is all we wanted
          }
          return;
        }
        if (!sleep(250)) {
          return;
        }
      }
    }, "job-results-watchdog");
    watchdog.setDaemon(true);
    progress.touch();
    watchdog.start();
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        count.line(line);
        progress.touch();
      }
      return progress.stalled ? JobCount.Outcome.STALLED : count.endedCleanly();
    } catch (IOException e) {
      return progress.stalled ? JobCount.Outcome.STALLED : JobCount.Outcome.INTERRUPTED;
    } finally {
      watchdog.interrupt();
    }
  }

  /** The future's value, unless nothing moved for the stall bound (a {@link TimeoutException}). */
  private <T> T awaitProgress(CompletableFuture<T> f, Progress progress) throws TimeoutException, ExecutionException {
    progress.touch();
    while (true) {
      try {
        return f.get(250, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        if (System.nanoTime() - progress.lastNanos > TimeUnit.MILLISECONDS.toNanos(stallMs)) {
          throw e;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ExecutionException(e);
      }
    }
  }

  /** When a job last moved: a byte taken by the upload or a result line read. */
  private static final class Progress {
    volatile long lastNanos = System.nanoTime();
    volatile long items;
    volatile boolean stalled;

    void touch() {
      lastNanos = System.nanoTime();
    }
  }

  /** NDJSON {@code {"id": i}} for i in [0, total), made as it is read. */
  private static final class ItemsInput extends InputStream {
    private final long total;
    private final Progress progress;
    private long next;
    private byte[] line = new byte[0];
    private int pos;

    ItemsInput(long total, Progress progress) {
      this.total = total;
      this.progress = progress;
    }

    private boolean fill() {
      if (pos < line.length) {
        return true;
      }
      if (next >= total) {
        return false;
      }
      line = ("{\"id\":" + next++ + "}\n").getBytes(StandardCharsets.US_ASCII);
      pos = 0;
      progress.items = next;
      progress.touch();
      return true;
    }

    @Override
    public int read() {
      return fill() ? line[pos++] : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (len == 0) {
        return 0;
      }
      int n = 0;
      while (n < len && fill()) {
        int k = Math.min(len - n, line.length - pos);
        System.arraycopy(line, pos, b, off + n, k);
        pos += k;
        n += k;
      }
      return n == 0 ? -1 : n;
    }
  }
}
