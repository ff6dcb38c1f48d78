package dev.beach.bench;

import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Self-healing under faults (issue 11): three {@code beach node} processes ({@link LocalCluster}) keep a deployment
 * of workers while, every {@code --fault-every} seconds, one node picked at random is killed with SIGKILL and started
 * again, and every {@code --stop-every}-th time another one is also frozen with SIGSTOP for {@code --stop-seconds},
 * then resumed. Meanwhile {@link ClusterLoad} sends requests with a deadline, gathers ({@code mode=all}) and
 * {@code --items}-item jobs, each item with its id. The {@link ChaosLedger} prints a table and the closing JSON line
 * carries its summary; {@code Bench} exits with 1 when an invariant broke.
 */
public final class ChaosScenario implements Scenario {

  @Override
  public String name() {
    return "chaos";
  }

  @Override
  public String description() {
    return "3 beach node processes under kill -9 / SIGSTOP while requests, gathers and jobs run; exits 1 if an item is"
      + " lost or duplicated, a request hangs or the desired count is not restored [--duration 3m --fault-every 15"
      + " --stop-every 3 --stop-seconds 10 --items 600000 --workers 6 --requesters 4 --deadline-ms 2000 --margin-ms 2000"
      + " --settle 90 --faults -1 --heap 512m --dir DIR]";
  }

  @Override
  public JsonObject run(Options options) throws Exception {
    double duration = options.duration("duration", 180);
    double faultEvery = options.duration("fault-every", 15);
    long stopEvery = options.number("stop-every", 3);
    double stopSeconds = options.duration("stop-seconds", 10);
    long items = options.number("items", 600_000);
    int workers = (int) options.number("workers", 6);
    int requesters = (int) options.number("requesters", 4);
    long deadlineMs = options.number("deadline-ms", 2000);
    long marginMs = options.number("margin-ms", 2000);
    double settle = options.duration("settle", 90);
    long maxFaults = options.number("faults", -1);
    double stall = options.duration("stall", 60);
    String heap = options.text("heap", "512m");
    String dirOption = options.text("dir", null);
    options.done();
    if (workers < 1 || items < 1 || requesters < 0 || faultEvery < 1 || deadlineMs < 1) {
      throw new IllegalArgumentException("--workers, --items and --deadline-ms must be at least 1, --fault-every 1 s");
    }
    Path dir = dirOption == null ? Files.createTempDirectory("beach-chaos-") : Files.createDirectories(Path.of(dirOption));
    long t0 = System.nanoTime();
    ChaosLedger ledger = new ChaosLedger(workers, marginMs);
    HttpCalls http = new HttpCalls();
    ScheduledExecutorService later = Executors.newScheduledThreadPool(2, r -> {
      Thread t = new Thread(r, "chaos-faults");
      t.setDaemon(true);
      return t;
    });
    System.out.printf("chaos: 3 nodes in %s; %s s of faults every %s s (SIGSTOP %s s every %d), %d workers, jobs of %d items,"
      + " %d requesters, deadline %d ms + %d ms margin; load %s%n", dir, duration, faultEvery, stopSeconds, stopEvery, workers,
      items, requesters, deadlineMs, marginMs, Bench.loadAverage());
    try (LocalCluster cluster = LocalCluster.start(3, heap, dir)) {
      ClusterLoad load = new ClusterLoad(cluster, http, ledger, () -> msSince(t0), deadlineMs, (long) (stall * 1000));
      load.deployWorkers(workers);
      Monitor monitor = new Monitor(load, ledger, t0);
      if (!monitor.awaitWhole(Duration.ofSeconds(120))) {
        throw new IllegalStateException("the deployment never reached " + workers + " workers: " + monitor.last);
      }
      monitor.start();
      load.startRequesters(requesters);
      load.startGatherer(500);
      load.startJobs(items, true);
      List<Thread> restarts = new ArrayList<>();
      // The duration counts from here: starting three JVMs on a loaded machine can take a minute or two.
      long faultsFrom = System.nanoTime();
      System.out.printf("chaos: %.1f s: cluster up, %d workers listed; faults begin%n", msSince(t0) / 1000.0, workers);
      long end = faultsFrom + (long) (duration * 1e9);
      long next = faultsFrom + (long) (faultEvery * 1e9);
      for (int cycle = 1; next < end && (maxFaults < 0 || cycle <= maxFaults); cycle++) {
        sleepUntil(next);
        next += (long) (faultEvery * 1e9);
        // A restart can take longer than the fault period on a loaded machine: killing on regardless would take every
        // node down at once. So a kill waits until every node serves again.
        long waitFrom = System.nanoTime();
        while (!allServing(cluster) && System.nanoTime() < end) {
          Thread.sleep(100);
        }
        if (System.nanoTime() - waitFrom > 1_000_000_000L) {
          System.out.printf("chaos: %.1f s: fault %d waited %.1f s for every node to serve%n", msSince(t0) / 1000.0, cycle,
            (System.nanoTime() - waitFrom) / 1e9);
          next = System.nanoTime() + (long) (faultEvery * 1e9);
        }
        if (System.nanoTime() >= end) {
          break;
        }
        NodeProcess victim = pick(cluster, null);
        if (victim == null) {
          System.out.println("chaos: no node serving to kill at " + msSince(t0) + " ms");
          continue;
        }
        ChaosLedger.Fault kill = ledger.fault("kill -9", victim.name(), msSince(t0));
        victim.kill9();
        System.out.printf("chaos: %.1f s: kill -9 %s (%s)%n", msSince(t0) / 1000.0, victim.name(), victim.nodeId());
        Thread restart = new Thread(() -> {
          try {
            cluster.restart(victim);
            ledger.back(kill, msSince(t0));
            System.out.printf("chaos: %.1f s: %s up again as %s%n", msSince(t0) / 1000.0, victim.name(), victim.nodeId());
          } catch (Exception e) {
            System.out.println("chaos: " + victim.name() + " did not come back: " + e.getMessage());
          }
        }, "chaos-restart-" + victim.name());
        restart.start();
        restarts.add(restart);
        if (stopEvery > 0 && cycle % stopEvery == 0) {
          NodeProcess frozen = pick(cluster, victim);
          if (frozen != null) {
            ChaosLedger.Fault stop = ledger.fault("SIGSTOP", frozen.name(), msSince(t0));
            frozen.sigstop(Duration.ofSeconds((long) stopSeconds + 30));
            System.out.printf("chaos: %.1f s: SIGSTOP %s for %s s%n", msSince(t0) / 1000.0, frozen.name(), stopSeconds);
            later.schedule(() -> {
              try {
                frozen.sigcont();
                ledger.back(stop, msSince(t0));
                System.out.printf("chaos: %.1f s: SIGCONT %s%n", msSince(t0) / 1000.0, frozen.name());
              } catch (Exception e) {
                System.out.println("chaos: SIGCONT " + frozen.name() + " failed: " + e.getMessage());
              }
              return null;
            }, (long) (stopSeconds * 1000), TimeUnit.MILLISECONDS);
          }
        }
      }
      later.shutdown();
      later.awaitTermination((long) stopSeconds + 60, TimeUnit.SECONDS);
      for (Thread t : restarts) {
        t.join(TimeUnit.MINUTES.toMillis(4));
      }
      System.out.printf("chaos: %.1f s: faults over; load goes on while the cluster settles (at most %s s)%n",
        msSince(t0) / 1000.0, settle);
      boolean settled = monitor.awaitStableWhole(Duration.ofMillis((long) (settle * 1000)), Duration.ofSeconds(5));
      monitor.stop();
      load.stop(Duration.ofMillis((long) (stall * 1000) + 120_000));
      ledger.finalListing(settled ? workers : monitor.lastMostListed(), (settled ? "" : "not settled: ") + monitor.last);
      System.out.println();
      System.out.print(ledger.table());
      System.out.println("node logs: " + dir);
      return new JsonObject().put("duration_s", duration).put("fault_every_s", faultEvery).put("stop_every", stopEvery)
        .put("stop_s", stopSeconds).put("items_per_job", items).put("workers", workers).put("requesters", requesters)
        .put("deadline_ms", deadlineMs).put("load_before", Bench.loadAverage()).put("dir", dir.toString())
        .put("seconds", Math.round(msSince(t0) / 100.0) / 10.0).mergeIn(ledger.summary());
    } finally {
      later.shutdownNow();
    }
  }

  private static boolean allServing(LocalCluster cluster) {
    return cluster.nodes().stream().allMatch(n -> n.alive() && !n.frozen() && n.nodeId() != null);
  }

  /** A node that is up and not frozen, other than {@code except}, at random; null when there is none. */
  private static NodeProcess pick(LocalCluster cluster, NodeProcess except) {
    List<NodeProcess> candidates = new ArrayList<>();
    for (NodeProcess n : cluster.nodes()) {
      if (n != except && n.alive() && !n.frozen() && n.nodeId() != null) {
        candidates.add(n);
      }
    }
    return candidates.isEmpty() ? null : candidates.get(ThreadLocalRandom.current().nextInt(candidates.size()));
  }

  private static long msSince(long t0) {
    return (System.nanoTime() - t0) / 1_000_000;
  }

  private static void sleepUntil(long nanos) throws InterruptedException {
    long left = nanos - System.nanoTime();
    if (left > 0) {
      TimeUnit.NANOSECONDS.sleep(left);
    }
  }

  /** Lists the workers from every serving node a few times a second and tells the ledger. */
  private static final class Monitor {
    private final ClusterLoad load;
    private final ChaosLedger ledger;
    private final long t0;
    private volatile boolean running = true;
    private Thread thread;
    volatile String last = "(no listing yet)";
    private volatile int lastMost;

    Monitor(ClusterLoad load, ChaosLedger ledger, long t0) {
      this.load = load;
      this.ledger = ledger;
      this.t0 = t0;
    }

    private boolean round() throws InterruptedException {
      long at = msSince(t0);
      ClusterLoad.ListingRound r = load.listingRound();
      boolean whole = r.whole(ledger.desired());
      ledger.listing(at, r.mostListed(), whole);
      last = r.describe();
      lastMost = r.mostListed();
      return whole;
    }

    int lastMostListed() {
      return lastMost;
    }

    boolean awaitWhole(Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        if (round()) {
          return true;
        }
        Thread.sleep(250);
      }
      return false;
    }

    /** Waits until every round for {@code stable} is whole; false when that does not happen within {@code timeout}. */
    boolean awaitStableWhole(Duration timeout, Duration stable) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      long wholeSince = -1;
      while (System.nanoTime() < deadline) {
        // The monitor's own thread keeps telling the ledger; these rounds only judge.
        ClusterLoad.ListingRound r = load.listingRound();
        last = r.describe();
        lastMost = r.mostListed();
        if (r.whole(ledger.desired())) {
          wholeSince = wholeSince < 0 ? System.nanoTime() : wholeSince;
          if (System.nanoTime() - wholeSince >= stable.toNanos()) {
            return true;
          }
        } else {
          wholeSince = -1;
        }
        Thread.sleep(250);
      }
      return false;
    }

    void start() {
      thread = new Thread(() -> {
        while (running) {
          try {
            round();
            Thread.sleep(250);
          } catch (InterruptedException e) {
            return;
          } catch (RuntimeException e) {
            System.out.println("chaos monitor: " + e);
          }
        }
      }, "chaos-monitor");
      thread.setDaemon(true);
      thread.start();
    }

    void stop() throws InterruptedException {
      running = false;
      thread.join(10_000);
    }
  }
}
