package dev.beach.launcher;

import dev.beach.launcher.impl.SampleRealms;
import dev.beach.spi.ClusterSupport;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static dev.beach.launcher.ClusterProcessIT.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A worker node killed during a streamed job upload (issue #11), for real: three {@code beach node} processes on
 * loopback, twelve Echo workers placed round-robin, a large NDJSON body streamed to A's gateway as a kept job, and B
 * killed with SIGKILL a moment into the upload. The upload must be read to its end, the job must succeed, never
 * standing still for long, and every input must come back exactly once with its value.
 * <p>
 * The stall this guards against hit about one run in four, on a node that had just started (a race between a job and
 * its results file, widest while the JVM is cold): so each of the {@link #REPETITIONS} runs starts a fresh A (where
 * the job and its results file live) and B, and kills B at a different point. A 1-in-4 race survives ten runs with
 * probability 0.75^10, about 6 %.
 */
class JobNodeKilledIT {

  private static final String HOST = "127.0.0.1";
  private static final String REALM = "jobkill";
  private static final String CATEGORY = "work";
  private static final Duration START = Duration.ofSeconds(90);
  private static final int REPETITIONS = Integer.getInteger("jobkill.repetitions", 10);
  private static final int ITEMS = Integer.getInteger("jobkill.items", 600_000);
  private static final int WORKERS = 12;
  /**
   * How long the job may show no progress (no item done, no byte of the body taken) before the run counts as
   * stalled. A healthy run never stands still for more than the few seconds it takes to notice B's death; a stalled
   * one stands still for good. Longer than the node's own stall warning (30 s), so a failure shows that warning too.
   */
  private static final Duration STILL = Duration.ofSeconds(40);
  /** The whole upload and job, on a loaded 2-core machine: a healthy run takes seconds. */
  private static final Duration JOB_BOUND = Duration.ofSeconds(150);
  private static final Map<String, String> HEARTBEATS = Map.of(
    "BEACH_CLUSTER_HEARTBEAT_SECONDS", "1", "BEACH_CLUSTER_MAX_NO_HEARTBEAT_SECONDS", "5");
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir
  Path dir;

  private final List<BeachProcess> processes = new ArrayList<>();

  @AfterEach
  void stopNodes() {
    processes.forEach(BeachProcess::close);
  }

  @Test
  void aJobSurvivesAWorkerNodeKilledDuringItsStreamedUpload() throws Exception {
    Path code = dir.resolve("realms");
    Files.createDirectories(code.resolve(REALM));
    Files.copy(SampleRealms.repositorySamples().resolve("global/Echo.java"), code.resolve(REALM + "/Echo.java"));
    // C lives through all runs; A (the gateway, where the job and its results file live) and B (killed) are new in
    // each run, started together and seeded to C.
    int portC = ClusterSupport.freePort(HOST);
    BeachProcess c = node("c", portC, List.of(), "--no-gateway");
    c.awaitUp(START);
    List<String> runs = new ArrayList<>();
    for (int run = 1; run <= REPETITIONS; run++) {
      String category = CATEGORY + run;
      BeachProcess a = node("a" + run, ClusterSupport.freePort(HOST), List.of(portC), "--gateway-port", "0");
      BeachProcess b = node("b" + run, ClusterSupport.freePort(HOST), List.of(portC), "--no-gateway");
      a.awaitUp(START);
      b.awaitUp(START);
      String api = a.gatewayUrl() + "/v1";
      // Met, and each ready to take actors as A sees it: a deploy places only on nodes whose last statistics said
      // ready, and a node that just joined may not have said so yet (12 workers then land on two nodes).
      eventually(Duration.ofSeconds(20), () -> readyNodeIds(api).containsAll(List.of(a.nodeId(), b.nodeId(), c.nodeId())),
        () -> "the nodes never met, ready: " + Http.get(api + "/nodes").body());
      Http.Reply deployed = Http.post(api + "/realms/" + REALM + "/actors", new JsonObject().put("class", "Echo")
        .put("categories", new JsonArray().add(category)).put("instances", WORKERS).put("strategy", "round-robin"));
      assertEquals(201, deployed.status(), deployed.body());
      eventually(Duration.ofSeconds(15), () -> workersOn(api, category) == 3,
        () -> "the workers are not spread over the three nodes: "
          + Http.get(api + "/realms/" + REALM + "/categories").body());
      // Killed once the job has done between 0 and 8,000 items: the first moments of the job, where the race was.
      long killAfter = 2_000L * ((run - 1) % 5);
      runs.add(run(api, a, b, category, run, killAfter));
      a.close();
      b.close();
      // The next run's placement must not count these two among the live nodes.
      eventually(Duration.ofSeconds(30), () -> left(c, a) && left(c, b),
        () -> "C never saw A and B leave:\n" + c.output());
    }
    System.out.println("worker node killed during upload, " + ITEMS + " items, " + REPETITIONS + " runs:\n  "
      + String.join("\n  ", runs));
  }

  /** One upload with B killed once {@code killAfter} items are done; returns a line describing the run. */
  private String run(String api, BeachProcess a, BeachProcess b, String category, int run, long killAfter)
      throws Exception {
    Numbers body = new Numbers(ITEMS);
    long started = System.nanoTime();
    String url = api + "/realms/" + REALM + "/jobs?category=" + category + "&op=echo";
    HttpRequest post = HttpRequest.newBuilder(URI.create(url))
      .timeout(JOB_BOUND).header("Content-Type", "application/x-ndjson")
      .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> body),
        Numbers.size(ITEMS)))
      .build();
    CompletableFuture<HttpResponse<String>> accepted = CLIENT.sendAsync(post, HttpResponse.BodyHandlers.ofString());
    // The client runs far ahead of the job (loopback socket buffers hold megabytes): the kill point is the job's own
    // count of finished items, as A reports it.
    eventually(STILL, () -> runningDone(api) >= killAfter, () -> "run " + run + ": the job never reached " + killAfter
      + " items done (" + body.sent.get() + " bytes sent)" + diagnosis(api, a));
    b.kill9();
    long killedMs = msSince(started);

    // Until the upload is answered and the job has ended, it must keep moving.
    String id = null;
    String state = "running";
    long lastDone = -1;
    long lastSent = -1;
    long movedAt = System.nanoTime();
    long uploadedMs = -1;
    while (uploadedMs < 0 || "running".equals(state)) {
      if (uploadedMs < 0 && accepted.isDone()) {
        uploadedMs = msSince(started);
        HttpResponse<String> reply;
        try {
          reply = accepted.get();
        } catch (java.util.concurrent.ExecutionException e) {
          fail("run " + run + ": the upload failed after B was killed at " + killedMs + " ms, " + body.sent.get() + " of "
            + Numbers.size(ITEMS) + " bytes of the body sent: " + e.getCause() + diagnosis(api, a));
          return null;
        }
        if (reply.statusCode() != 202) {
          fail("run " + run + ": the upload was answered " + reply.statusCode() + " " + reply.body() + " (B killed at "
            + killedMs + " ms, " + body.sent.get() + " of " + Numbers.size(ITEMS) + " bytes of the body sent)"
            + diagnosis(api, a));
        }
        assertEquals(Numbers.size(ITEMS), body.sent.get(), "run " + run + ": 202 before the whole body was read");
        id = new JsonObject(reply.body()).getString("id");
      }
      JsonObject job = id != null ? status(api, id) : runningJob(api);
      long done = job == null ? 0 : job.getJsonObject("progress").getLong("done", 0L);
      state = job == null ? "running" : job.getString("state");
      if (done != lastDone || body.sent.get() != lastSent) {
        lastDone = done;
        lastSent = body.sent.get();
        movedAt = System.nanoTime();
      } else if (System.nanoTime() - movedAt > STILL.toNanos()) {
        fail("run " + run + ": the job stood still for " + STILL.toSeconds() + " s after B was killed at " + killedMs
          + " ms: " + body.sent.get() + " of " + Numbers.size(ITEMS) + " bytes of the body sent (socket buffers hold"
          + " megabytes); job " + job
          + diagnosis(api, a));
      }
      if (System.nanoTime() - started > JOB_BOUND.toNanos()) {
        fail("run " + run + ": not done within " + JOB_BOUND + ": job " + job + diagnosis(api, a));
      }
      Thread.sleep(100);
    }
    long endedMs = msSince(started);
    assertEquals("succeeded", state, "run " + run + ": " + status(api, id));

    BitSet seen = new BitSet(ITEMS);
    long[] count = new long[1];
    HttpRequest get = HttpRequest.newBuilder(URI.create(api + "/jobs/" + id + "/results"))
      .timeout(Duration.ofSeconds(120)).GET().build();
    HttpResponse<Stream<String>> results = CLIENT.send(get, HttpResponse.BodyHandlers.ofLines());
    assertEquals(200, results.statusCode(), "run " + run);
    try (Stream<String> lines = results.body()) {
      lines.filter(l -> !l.isEmpty()).forEach(l -> {
        JsonObject r = new JsonObject(l);
        Integer i = r.getInteger("i");
        assertTrue(i != null && i >= 0 && i < ITEMS, "run " + run + ": a result for no input: " + l);
        assertTrue(r.getBoolean("ok", false) && i.equals(r.getValue("value")),
          "run " + run + ": input " + i + " came back as " + l);
        assertTrue(!seen.get(i), "run " + run + ": input " + i + " came back twice");
        seen.set(i);
        count[0]++;
      });
    }
    assertEquals(ITEMS, count[0], "run " + run + ": results");
    assertEquals(ITEMS, seen.cardinality(), "run " + run + ": distinct inputs answered");
    return String.format("run %d: B killed at %d ms (%d items done), upload read %d ms, job ended %d ms",
      run, killedMs, killAfter, uploadedMs, endedMs);
  }

  private BeachProcess node(String name, int port, List<Integer> seeds, String... more) throws IOException {
    List<String> args = new ArrayList<>(List.of("--host", HOST, "--port", Integer.toString(port), "--code",
      dir.resolve("realms").toString(), "--tags", name.substring(0, 1), "--no-deploy"));
    if (!seeds.isEmpty()) {
      args.addAll(List.of("--seeds", String.join(",", seeds.stream().map(p -> HOST + ":" + p).toList())));
    }
    args.addAll(List.of(more));
    BeachProcess p = BeachProcess.node(name, dir, HEARTBEATS, args.toArray(String[]::new));
    processes.add(p);
    return p;
  }

  private static boolean left(BeachProcess seen, BeachProcess gone) {
    return seen.outputHas(l -> l.contains("node " + gone.nodeId() + " left the cluster"));
  }

  /** On how many nodes A's directory lists the category's workers, once all {@link #WORKERS} are (else 0). */
  private static int workersOn(String api, String category) throws Exception {
    for (Object o : (JsonArray) Http.get(api + "/realms/" + REALM + "/categories").json()) {
      JsonObject c = (JsonObject) o;
      if (category.equals(c.getString("name")) && c.getInteger("actors", 0) == WORKERS) {
        return c.getJsonObject("nodes").size();
      }
    }
    return 0;
  }

  /** The job running in the realm on A, or null before it is listed. */
  private static JsonObject runningJob(String api) throws Exception {
    for (Object o : (JsonArray) Http.get(api + "/jobs?realm=" + REALM).json()) {
      JsonObject job = (JsonObject) o;
      if ("running".equals(job.getString("state"))) {
        return job;
      }
    }
    return null;
  }

  /** Items done by the job running in the realm on A, or -1 before it is listed. */
  private static long runningDone(String api) throws Exception {
    JsonObject job = runningJob(api);
    return job == null ? -1 : job.getJsonObject("progress").getLong("done", 0L);
  }

  private static JsonObject status(String api, String id) throws Exception {
    Http.Reply r = Http.get(api + "/jobs/" + id);
    assertEquals(200, r.status(), r.body());
    return r.json();
  }

  private static List<String> readyNodeIds(String api) throws Exception {
    JsonArray nodes = Http.get(api + "/nodes").json();
    return nodes.stream().map(n -> (JsonObject) n).filter(n -> n.getBoolean("ready", false))
      .map(n -> n.getString("id")).toList();
  }

  /** What A says about its jobs, and the end of its log: what a stalled run needs to be understood. */
  private static String diagnosis(String api, BeachProcess a) {
    String jobs;
    try {
      jobs = Http.get(api + "/jobs").body();
    } catch (Exception e) {
      jobs = "(A did not answer: " + e + ")";
    }
    List<String> lines = a.output().lines().toList();
    return "\nA's jobs: " + jobs + "\n--- A:\n"
      + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }

  private static long msSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }

  /** The body {@code 0\n1\n...(n-1)\n}, generated as it is read so it costs no memory, counting the bytes taken. */
  static final class Numbers extends InputStream {
    final AtomicLong sent = new AtomicLong();
    private final int n;
    private int next;
    private byte[] line = new byte[0];
    private int pos;

    Numbers(int n) {
      this.n = n;
    }

    /** Bytes of the body for {@code n} inputs. */
    static long size(int n) {
      long bytes = 0;
      for (long from = 0, digits = 1; from < n; from = from == 0 ? 10 : from * 10, digits++) {
        bytes += (Math.min(n, from == 0 ? 10 : from * 10) - from) * (digits + 1);
      }
      return bytes;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      int out = 0;
      while (out < len) {
        if (pos == line.length) {
          if (next == n) {
            break;
          }
          line = (next++ + "\n").getBytes(StandardCharsets.US_ASCII);
          pos = 0;
        }
        int k = Math.min(len - out, line.length - pos);
        System.arraycopy(line, pos, b, off + out, k);
        pos += k;
        out += k;
      }
      if (out == 0 && len > 0) {
        return -1;
      }
      sent.addAndGet(out);
      return out;
    }
  }
}
