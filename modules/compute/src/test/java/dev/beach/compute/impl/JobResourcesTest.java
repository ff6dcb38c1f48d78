package dev.beach.compute.impl;

import dev.beach.ActorSpec;
import dev.beach.BeachNode;
import dev.beach.NodeOptions;
import dev.beach.compute.Job;
import dev.beach.compute.JobInput;
import dev.beach.compute.JobOptions;
import dev.beach.compute.Jobs;
import dev.beach.compute.TestWorkers;
import dev.beach.testkit.Await;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Resources end with their owner: thousands of kept jobs leave no open descriptor behind once they have ended
 * (their results stay readable), retention is bounded by count and by bytes, and once the jobs are removed the
 * spool files, the descriptors and the live heap are back where they started.
 */
class JobResourcesTest {

  private static final String REALM = "resources";
  private static final String CATEGORY = "sq";
  private static final Path FDS = Path.of("/proc/self/fd");
  private static Vertx vertx;
  private static BeachNode node;
  private static JobsImpl jobs;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    node = Await.result(BeachNode.start(vertx, new NodeOptions().setDrainTimeoutMs(500)));
    Await.result(node.beach().deploy(ActorSpec.of(REALM, TestWorkers.Square.class, CATEGORY).setInstances(2)));
    jobs = (JobsImpl) Jobs.create(node);
  }

  @AfterAll
  static void stop() {
    Await.result(node.close());
    Await.result(vertx.close());
  }

  /** Counts what it is given. */
  private static final class Counting implements WriteStream<Buffer> {
    final AtomicLong bytes = new AtomicLong();

    @Override
    public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
      return this;
    }

    @Override
    public Future<Void> write(Buffer data) {
      bytes.addAndGet(data.length());
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> end() {
      return Future.succeededFuture();
    }

    @Override
    public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
      return this;
    }

    @Override
    public boolean writeQueueFull() {
      return false;
    }

    @Override
    public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
      return this;
    }
  }

  /** Runs {@code n} kept jobs of {@code inputs} items, {@code parallel} at a time; reads every other one's results. */
  private static List<String> run(int n, int inputs, int parallel) {
    List<String> ids = new ArrayList<>();
    List<Integer> items = new ArrayList<>();
    for (int i = 0; i < inputs; i++) {
      items.add(i);
    }
    for (int from = 0; from < n; from += parallel) {
      List<Future<?>> batch = new ArrayList<>();
      for (int i = from; i < Math.min(n, from + parallel); i++) {
        Job job = jobs.start(REALM, CATEGORY, "square", JobInput.of(items), new JobOptions());
        ids.add(job.id());
        batch.add(i % 2 == 0 ? job.ended().compose(s -> job.pipeResultsTo(new Counting())) : job.ended());
      }
      Await.result(Future.all(batch), Duration.ofSeconds(60));
    }
    return ids;
  }

  private static void removeAll() {
    List<Future<Void>> removed = new ArrayList<>();
    for (Job job : jobs.jobs()) {
      removed.add(jobs.remove(job.id()));
    }
    Await.result(Future.join(removed));
  }

  private static long openDescriptors() throws IOException {
    try (Stream<Path> fds = Files.list(FDS)) {
      return fds.count();
    }
  }

  private static long liveHeap() throws InterruptedException {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(100);
      used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  @Test
  void thousandsOfEndedJobsHoldNoDescriptorAndEverythingReturnsToItsBaseline() throws Exception {
    Assumptions.assumeTrue(Files.isDirectory(FDS), "needs /proc/self/fd to count descriptors");
    run(100, 5, 25); // warm up: classes, pools, the first spool files
    removeAll();
    int filesBefore = Spool.liveFiles();
    long fdsBefore = openDescriptors();
    long heapBefore = liveHeap();

    List<String> ids = run(3000, 5, 32);

    JobRegistry registry = jobs.registry();
    assertEquals(JobRegistry.MAX_ENDED, registry.endedCount(), "ended jobs kept");
    // Forgetting the oldest deletes their files in the background.
    Await.until("the spools of forgotten jobs are deleted", Duration.ofSeconds(10),
      () -> Spool.liveFiles() == filesBefore + JobRegistry.MAX_ENDED);
    long fdsEnded = openDescriptors();
    assertTrue(fdsEnded <= fdsBefore + 16, "1000 ended jobs hold " + (fdsEnded - fdsBefore) + " more descriptors");
    // Their results are still there to read, each through a descriptor of its own that closes at the end.
    Counting read = new Counting();
    Await.result(jobs.job(ids.get(ids.size() - 1)).pipeResultsTo(read));
    assertTrue(read.bytes.get() > 0);
    assertTrue(openDescriptors() <= fdsBefore + 16, "reading left a descriptor open");

    removeAll();
    assertEquals(filesBefore, Spool.liveFiles(), "spool files left behind");
    long fdsAfter = openDescriptors();
    long heapAfter = liveHeap();
    System.out.printf("descriptors %d -> %d (1000 ended jobs kept) -> %d; live heap %d KiB -> %d KiB%n",
      fdsBefore, fdsEnded, fdsAfter, heapBefore / 1024, heapAfter / 1024);
    assertTrue(fdsAfter <= fdsBefore + 8, "descriptors " + fdsBefore + " -> " + fdsAfter);
    assertTrue(heapAfter <= heapBefore + 8 * 1024 * 1024, "live heap " + heapBefore / 1024 + " KiB -> "
      + heapAfter / 1024 + " KiB");
  }

  @Test
  void retentionIsBoundedByBytesAsWellAsCount() {
    JobRegistry registry = jobs.registry();
    removeAll();
    long limit = 64 * 1024;
    registry.limitRetention(JobRegistry.MAX_ENDED, limit);
    try {
      run(60, 200, 4); // about 3 KiB of results each: 180 KiB in all
      long kept = 0;
      for (Job job : jobs.jobs()) {
        kept += Await.result(((Snapshot) job).spool()).size();
      }
      assertTrue(registry.endedCount() < 60, registry.endedCount() + " ended jobs kept");
      assertTrue(kept <= limit + 8 * 1024, kept + " bytes of results kept, over the bound of " + limit);
    } finally {
      registry.limitRetention(JobRegistry.MAX_ENDED, JobRegistry.MAX_ENDED_BYTES);
      removeAll();
    }
  }
}
