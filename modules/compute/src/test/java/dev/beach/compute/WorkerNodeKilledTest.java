package dev.beach.compute;

import dev.beach.ActorSpec;
import dev.beach.BeachNode;
import dev.beach.ClusterOptions;
import dev.beach.NodeOptions;
import dev.beach.Placement;
import dev.beach.spi.ClusterSupport;
import dev.beach.testkit.Await;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * End to end with real node processes: two worker JVMs and this one; one worker JVM is killed with SIGKILL in
 * the middle of a job, and every input still yields exactly one correct result.
 */
class WorkerNodeKilledTest {

  private static final String REALM = "killtest";
  private static final String CATEGORY = "work";
  private static final List<String> JVM_FLAGS = List.of("-Xmx256m", "-XX:+UseSerialGC");

  private final List<Process> children = new ArrayList<>();
  private BeachNode driver;

  @AfterEach
  void tearDown() throws Exception {
    for (Process p : children) {
      p.getOutputStream().close();
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
    if (driver != null) {
      Await.result(driver.close());
    }
  }

  @Test
  void aWorkerNodeKilledWithSigkillMidJobLosesNoInputAndDuplicatesNone() throws Exception {
    int[] ports = {ClusterSupport.freePort(), ClusterSupport.freePort(), ClusterSupport.freePort()};
    String seeds = "127.0.0.1:" + ports[0] + ",127.0.0.1:" + ports[1] + ",127.0.0.1:" + ports[2];
    List<CompletableFuture<String>> ready = new ArrayList<>();
    for (int i = 1; i <= 2; i++) {
      Process p = spawn(ports[i], seeds);
      children.add(p);
      ready.add(readyLine(p, "worker" + i));
    }
    driver = Await.result(BeachNode.clustered(new NodeOptions()
      .setCluster(new ClusterOptions().setHost("127.0.0.1").setPort(ports[0]).setSeeds(Arrays.asList(seeds.split(","))))
      .setStatsIntervalMs(200)), Duration.ofSeconds(60));
    String victimId = ready.get(0).get(60, TimeUnit.SECONDS);
    ready.get(1).get(60, TimeUnit.SECONDS);
    Await.result(driver.beach().deploy(ActorSpec.of(REALM, TestWorkers.Square.class, CATEGORY).setInstances(1)
      .setPlacement(Placement.local())));
    Await.until("the driver sees all five workers", Duration.ofSeconds(20),
      () -> driver.beach().directory(REALM, CATEGORY).size() == 5);

    int n = 200_000;
    Jobs jobs = Jobs.create(driver);
    JobStream stream = jobs.streamUnordered(REALM, CATEGORY, "where", JobInput.of(JobsSuite.range(n)),
      new JobOptions().setChunkSize(100).setChunkTimeoutMs(20_000));
    AtomicIntegerArray seen = new AtomicIntegerArray(n);
    AtomicLong wrong = new AtomicLong();
    AtomicLong fromVictim = new AtomicLong();
    AtomicLong failures = new AtomicLong();
    Promise<Void> done = Promise.promise();
    stream.exceptionHandler(done::tryFail).endHandler(v -> done.tryComplete());
    stream.handler(r -> {
      int i = (int) r.index();
      seen.incrementAndGet(i);
      if (!r.ok()) {
        failures.incrementAndGet();
        return;
      }
      JsonArray v = r.value();
      if (v.getLong(0) != (long) i * i) {
        wrong.incrementAndGet();
      }
      if (victimId.equals(v.getString(1))) {
        fromVictim.incrementAndGet();
      }
    });

    Await.until("a fifth of the job done", Duration.ofSeconds(30), () -> stream.progress().done() >= n / 5);
    long killedAt = System.currentTimeMillis();
    children.get(0).destroyForcibly();
    assertTrue(stream.progress().done() < n, "the job ended before the kill: make it longer");

    Await.result(done.future(), Duration.ofSeconds(60));
    long afterKill = System.currentTimeMillis() - killedAt;
    for (int i = 0; i < n; i++) {
      assertEquals(1, seen.get(i), "results for input " + i);
    }
    assertEquals(0, failures.get(), "per-item failures");
    assertEquals(0, wrong.get(), "wrong values");
    assertTrue(fromVictim.get() > 0, "the killed node computed nothing before it died");
    assertEquals(JobState.SUCCEEDED, stream.state());
    assertEquals(n, stream.progress().done());
    System.out.printf("killed %s: %d results from it before, job done %d ms after the kill%n",
      victimId, fromVictim.get(), afterKill);
  }

  private static Process spawn(int port, String seeds) throws IOException {
    String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.addAll(JVM_FLAGS);
    cmd.addAll(ClusterSupport.nodeJvmFlags());
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), WorkerProcess.class.getName(),
      Integer.toString(port), seeds, REALM, CATEGORY, "2"));
    return new ProcessBuilder(cmd).redirectErrorStream(true).start();
  }

  /** The node id the child prints when ready; its other output is echoed (and drained, so it never blocks). */
  private static CompletableFuture<String> readyLine(Process p, String name) {
    CompletableFuture<String> ready = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = out.readLine()) != null) {
          if (line.startsWith("READY ") && !ready.isDone()) {
            ready.complete(line.substring(6).trim());
          } else {
            System.out.println("[" + name + "] " + line);
          }
        }
      } catch (IOException ignored) {
        // killed
      }
      ready.completeExceptionally(new IllegalStateException(name + " exited before it was ready"));
    }, name + "-output");
    t.setDaemon(true);
    t.start();
    return ready;
  }

}
