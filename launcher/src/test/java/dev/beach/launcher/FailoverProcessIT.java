package dev.beach.launcher;

import dev.beach.launcher.impl.Ports;
import dev.beach.launcher.impl.SampleRealms;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static dev.beach.launcher.ClusterProcessIT.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Self-healing with real {@code beach node} processes: three nodes on loopback, each with its own {@code dataDir},
 * a deployment of {@value #INSTANCES} echo actors spread over them, and a client sending requests with deadlines
 * through a gateway the whole time. The cases share the processes and run in order, each starting from what the
 * one before left (a healthy cluster of three):
 * <ol>
 *   <li>kill -9 of the leader (the oldest node, hosting part of the deployment): the deployment is back at its
 *       desired count, every instance answering, within {@link #HEAL}; the killed node restarts on its port and
 *       data folder and rejoins without doubling anything;</li>
 *   <li>SIGSTOP of a node hosting instances: the others re-place them while it is frozen; after SIGCONT it merges
 *       back and the cluster ends with exactly the desired count (the frozen node's stale actors stopped);</li>
 *   <li>a full cluster restart (SIGTERM to all, started again): the deployment, scaled just before, comes back
 *       from the nodes' files with the same desired count, every actor answering.</li>
 * </ol>
 * Throughout, no request outlives its deadline (plus {@link #MARGIN_MS} for a loaded machine) and every failed one
 * fails with 503 (node or actor gone) or 504 (deadline), never hangs; the counts are printed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FailoverProcessIT {

  private static final String HOST = "127.0.0.1";
  private static final String REALM = "fo";
  private static final String DEPLOYMENT = "fo";
  private static final int INSTANCES = 6;
  private static final Duration START = Duration.ofSeconds(90);
  /** Generous for CI on a loaded 2-core machine; measured here well under it (see docs/RELIABILITY.md). */
  private static final Duration HEAL = Duration.ofSeconds(10);
  /** After SIGCONT: the frozen node learns it was dropped, the split-brain check (every 5 s) merges it back. */
  private static final Duration CONVERGE = Duration.ofSeconds(40);
  /** The deadline of every client request. */
  private static final long DEADLINE_MS = 2000;
  /** Slack for the HTTP hop, GC and scheduling on a shared machine. */
  private static final long MARGIN_MS = 1000;
  /** SIGSTOP detection in seconds: heartbeats every second, a member silent for 3 s is dropped. */
  private static final Map<String, String> HEARTBEATS = Map.of(
    "BEACH_CLUSTER_HEARTBEAT_SECONDS", "1", "BEACH_CLUSTER_MAX_NO_HEARTBEAT_SECONDS", "3");

  @TempDir
  static Path dir;

  private static Path code;
  private static final String[] NAMES = {"a", "b", "c"};
  private static final int[] PORTS = new int[3];
  private static final BeachProcess[] NODES = new BeachProcess[3];
  private static int generation;

  @BeforeAll
  static void startCluster() throws Exception {
    code = dir.resolve("realms");
    Files.createDirectories(code.resolve(REALM));
    Files.copy(SampleRealms.repositorySamples().resolve("global/Echo.java"), code.resolve(REALM + "/Echo.java"));
    for (int i = 0; i < 3; i++) {
      PORTS[i] = Ports.anyFree(HOST);
    }
    // a first, so that it is the oldest member (the leader), then b and c together.
    start(0);
    NODES[0].awaitUp(START);
    start(1);
    start(2);
    NODES[1].awaitUp(START);
    NODES[2].awaitUp(START);
    awaitMembers(List.of(0, 1, 2));
    Http.Reply r = put(api(2), new JsonObject().put("realm", REALM).put("class", "Echo")
      .put("categories", new JsonArray().add(DEPLOYMENT)).put("instances", INSTANCES).put("strategy", "spread"));
    assertEquals(201, r.status(), r.body());
    // The first start compiles the realm's Echo.java on every node, in JVMs that have not loaded javac yet.
    eventually(START, () -> healthy(api(2), INSTANCES, null), () -> "never available: " + describe(api(2)) + tails());
  }

  @AfterAll
  static void stopCluster() {
    for (BeachProcess p : NODES) {
      if (p != null) {
        p.close();
      }
    }
  }

  /** Starts node {@code i} on its port and data folder, seeded to the other two. */
  private static void start(int i) throws Exception {
    List<String> seeds = new ArrayList<>();
    for (int j = 0; j < 3; j++) {
      if (j != i) {
        seeds.add(HOST + ":" + PORTS[j]);
      }
    }
    Map<String, String> env = new HashMap<>(HEARTBEATS);
    env.put("BEACH_NODE_DATA_DIR", dir.resolve("data-" + NAMES[i]).toString());
    // A new log file per start: a restarted node's output must not overwrite what its predecessor said.
    NODES[i] = BeachProcess.node(NAMES[i] + (generation++), dir, env, "--host", HOST, "--port", Integer.toString(PORTS[i]),
      "--seeds", String.join(",", seeds), "--gateway-port", "0", "--code", code.toString(), "--tags", NAMES[i],
      "--no-deploy");
  }

  @Test
  @Order(1)
  void killMinus9OfTheLeaderHealsWithinSecondsAndTheRestartedNodeDoublesNothing() throws Exception {
    BeachProcess victim = NODES[0];
    assertTrue(hosting(api(2)).contains(victim.nodeId()), "spread put part of it on the oldest node: " + describe(api(2)));
    try (Load load = new Load(List.of(api(1), api(2)))) {
      load.awaitRequests(20);
      long killed = System.nanoTime();
      victim.kill9();
      eventually(HEAL, () -> healthy(api(2), INSTANCES, victim.nodeId()),
        () -> "not healed " + HEAL.toSeconds() + " s after kill -9: " + describe(api(2)) + tails());
      System.out.println("failover IT: kill -9 of the leader: " + INSTANCES + " instances answering after "
        + msSince(killed) + " ms; " + load.summary());
      load.awaitRequests(load.sent() + 20); // and requests keep working after the heal
      load.assertNoneOutlivedItsDeadline();
    }
    // The node comes back on its port and data folder: it rejoins and the deployment stays exactly as it was.
    start(0);
    NODES[0].awaitUp(START);
    awaitMembers(List.of(0, 1, 2));
    assertStaysHealthy(List.of(api(0), api(1), api(2)), INSTANCES);
  }

  @Test
  @Order(2)
  void aFrozenNodesInstancesAreReplacedAndAfterSigcontTheClusterKeepsExactlyTheDesiredCount() throws Exception {
    // b hosts part of it (a, restarted, hosts none: spread does not move actors onto a joining node).
    int frozen = 1;
    BeachProcess victim = NODES[frozen];
    Set<String> before = hosting(api(2));
    assertTrue(before.contains(victim.nodeId()), "b hosts part of it: " + describe(api(2)));
    try (Load load = new Load(List.of(api(0), api(2)))) {
      load.awaitRequests(20);
      long stopped = System.nanoTime();
      victim.sigstop(Duration.ofSeconds(90));
      try {
        // Detection (a member silent for 3 s is dropped) plus the heal.
        eventually(HEAL.plusSeconds(4), () -> healthy(api(2), INSTANCES, victim.nodeId()),
          () -> "not healed while b is frozen: " + describe(api(2)) + tails());
        System.out.println("failover IT: SIGSTOP: " + INSTANCES + " instances answering on the other nodes after "
          + msSince(stopped) + " ms; " + load.summary());
      } finally {
        victim.sigcont(); // also when the heal failed: the next case needs b running
      }
      long resumed = System.nanoTime();
      List<String> apis = List.of(api(0), api(1), api(2));
      eventually(CONVERGE, () -> membersSeen(List.of(0, 1, 2)) && allHealthy(apis, INSTANCES),
        () -> "no convergence " + CONVERGE.toSeconds() + " s after SIGCONT: " + describe(api(0)) + "\nfrom b: "
          + describe(api(1)) + tails());
      System.out.println("failover IT: SIGCONT: one cluster with exactly " + INSTANCES + " instances after "
        + msSince(resumed) + " ms; " + load.summary());
      load.assertNoneOutlivedItsDeadline();
    }
    assertStaysHealthy(List.of(api(0), api(1), api(2)), INSTANCES);
  }

  @Test
  @Order(3)
  void aFullClusterRestartRestoresTheDeploymentFromTheNodesFiles() throws Exception {
    // The last change before the stop must be the one restored: scale down by one.
    int scaled = INSTANCES - 1;
    Http.Reply r = Http.post(api(2) + "/deployments/" + DEPLOYMENT + "/scale", new JsonObject().put("count", scaled));
    assertEquals(200, r.status(), r.body());
    eventually(HEAL, () -> healthy(api(2), scaled, null), () -> "not scaled: " + describe(api(2)));
    for (BeachProcess p : NODES) {
      p.sigterm(); // SIGTERM to all at once, as an operator stopping the cluster would
    }
    for (BeachProcess p : NODES) {
      assertEquals(0, p.awaitExit(Duration.ofSeconds(60)), p.output());
    }
    for (int i = 0; i < 3; i++) {
      assertTrue(Files.isRegularFile(dir.resolve("data-" + NAMES[i]).resolve("deployments.json")), "node " + NAMES[i]
        + " kept no copy of the deployments");
    }
    long restarted = System.nanoTime();
    start(0);
    NODES[0].awaitUp(START);
    start(1);
    start(2);
    NODES[1].awaitUp(START);
    NODES[2].awaitUp(START);
    awaitMembers(List.of(0, 1, 2));
    List<String> apis = List.of(api(0), api(1), api(2));
    eventually(HEAL, () -> allHealthy(apis, scaled), () -> "not restored: " + describe(api(0)) + tails());
    System.out.println("failover IT: full restart: " + scaled + " instances answering " + msSince(restarted)
      + " ms after the first node was started again");
    // Nothing else could have kept them: every process was gone, so the first node read its file.
    assertTrue(NODES[0].outputHas(l -> l.contains("restored 1 deployment(s) from ")), NODES[0].output());
    assertStaysHealthy(apis, scaled);
  }

  // --- what the cluster says -------------------------------------------------------------------------------------

  private static String api(int i) {
    return NODES[i].gatewayUrl() + "/v1";
  }

  private static Http.Reply put(String api, JsonObject deployment) throws Exception {
    return Http.send("PUT", api + "/deployments/" + DEPLOYMENT, deployment);
  }

  /**
   * Whether the node behind {@code api} sees the deployment whole: its status says {@code n} desired and running,
   * the nodes list exactly {@code n} of its actors for {@code n} different instances, none on {@code deadNode}, and
   * each of them answers a request (a {@code mode=all} request reaches every directory entry, so a stale or
   * duplicate entry shows).
   */
  private static boolean healthy(String api, int n, String deadNode) {
    try {
      return wholeAndAnswering(api, n, deadNode);
    } catch (Exception e) {
      return false; // a node that does not answer (yet), an error body: not healthy, look again
    }
  }

  private static boolean wholeAndAnswering(String api, int n, String deadNode) throws Exception {
    JsonObject status = Http.get(api + "/deployments/" + DEPLOYMENT).json();
    if (status.getInteger("desired", -1) != n || status.getInteger("actual", -1) != n) {
      return false;
    }
    Map<String, String> instanceOf = new HashMap<>();
    for (Object o : (JsonArray) Http.get(api + "/realms/" + REALM + "/actors").json()) {
      JsonObject a = (JsonObject) o;
      if (DEPLOYMENT.equals(a.getString("deployment"))) {
        if (a.getString("node").equals(deadNode)) {
          return false;
        }
        instanceOf.put(a.getString("id"), a.getString("instance"));
      }
    }
    if (instanceOf.size() != n || new HashSet<>(instanceOf.values()).size() != n) {
      return false;
    }
    Http.Reply all = Http.post(api + "/realms/" + REALM + "/categories/" + DEPLOYMENT + "/whoami?mode=all&timeout=2000",
      new JsonObject());
    if (all.status() != 200) {
      return false;
    }
    Set<String> answered = new HashSet<>();
    JsonArray replies = ((JsonObject) all.json()).getJsonArray("replies");
    for (Object o : replies) {
      JsonObject reply = (JsonObject) o;
      if (!reply.getBoolean("ok", false)) {
        return false;
      }
      answered.add(reply.getString("actor"));
    }
    return replies.size() == n && answered.equals(instanceOf.keySet());
  }

  private static boolean allHealthy(List<String> apis, int n) {
    for (String api : apis) {
      if (!healthy(api, n, null)) {
        return false;
      }
    }
    return true;
  }

  /** Healthy from every gateway now, and still so a second later: nothing doubles once the dust settles. */
  private static void assertStaysHealthy(List<String> apis, int n) throws Exception {
    eventually(HEAL, () -> allHealthy(apis, n), () -> "not healthy from every node: " + describe(apis.get(0)) + tails());
    Thread.sleep(1000); // an extra started by a late decision would show by now
    assertTrue(allHealthy(apis, n), () -> "healthy, then not: " + describe(apis.get(0)));
  }

  /** The nodes hosting an actor of the deployment, as the node behind {@code api} lists them. */
  private static Set<String> hosting(String api) throws Exception {
    Set<String> nodes = new HashSet<>();
    for (Object o : (JsonArray) Http.get(api + "/realms/" + REALM + "/actors").json()) {
      JsonObject a = (JsonObject) o;
      if (DEPLOYMENT.equals(a.getString("deployment"))) {
        nodes.add(a.getString("node"));
      }
    }
    return nodes;
  }

  private static String describe(String api) {
    try {
      return "status " + Http.get(api + "/deployments/" + DEPLOYMENT).body() + "; actors "
        + Http.get(api + "/realms/" + REALM + "/actors").body() + "; nodes " + nodeIds(api);
    } catch (Exception e) {
      return "(" + api + " does not answer: " + e + ")";
    }
  }

  /** The last lines each node printed, for a failure message. */
  private static String tails() {
    StringBuilder out = new StringBuilder();
    for (BeachProcess p : NODES) {
      if (p != null) {
        List<String> lines = p.output().lines().toList();
        out.append("\n--- ").append(p.nodeId()).append(":\n")
          .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
      }
    }
    return out.toString();
  }

  private static List<String> nodeIds(String api) throws Exception {
    JsonArray nodes = Http.get(api + "/nodes").json();
    List<String> ids = new ArrayList<>(nodes.stream().map(n -> ((JsonObject) n).getString("id")).toList());
    ids.sort(null);
    return ids;
  }

  private static boolean membersSeen(List<Integer> which) {
    List<String> expected = new ArrayList<>();
    which.forEach(i -> expected.add(NODES[i].nodeId()));
    expected.sort(null);
    try {
      for (int i : which) {
        if (!nodeIds(api(i)).equals(expected)) {
          return false;
        }
      }
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  private static void awaitMembers(List<Integer> which) throws Exception {
    eventually(Duration.ofSeconds(30), () -> membersSeen(which), () -> "the nodes do not all see each other: "
      + nodeIds(api(which.get(0))));
  }

  private static long msSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }

  /**
   * The client: a few threads, each sending an echo request with a {@value #DEADLINE_MS} ms deadline (no retries, so
   * a failure shows) to the given gateways in turn, one every 20 ms. Records every status and the slowest answer.
   */
  private static final class Load implements AutoCloseable {
    private static final int THREADS = 3;
    private final List<String> apis;
    private final List<Thread> threads = new ArrayList<>();
    private final Map<String, AtomicInteger> outcomes = new TreeMap<>();
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicLong slowestMs = new AtomicLong();
    private final List<String> late = new ArrayList<>();
    private volatile boolean running = true;

    Load(List<String> apis) {
      this.apis = apis;
      for (int t = 0; t < THREADS; t++) {
        int first = t;
        Thread thread = new Thread(() -> loop(first), "failover-load-" + t);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
      }
    }

    private void loop(int n) {
      while (running) {
        String api = apis.get(n++ % apis.size());
        long t0 = System.nanoTime();
        String outcome;
        try {
          Http.Reply r = Http.postAsync(api + "/realms/" + REALM + "/categories/" + DEPLOYMENT + "/echo?timeout="
              + DEADLINE_MS, new JsonObject().put("n", n), Duration.ofMillis(DEADLINE_MS + 10_000))
            .get();
          outcome = Integer.toString(r.status());
        } catch (Exception e) {
          outcome = "no answer: " + e.getCause();
        }
        long ms = msSince(t0);
        slowestMs.accumulateAndGet(ms, Math::max);
        synchronized (this) {
          outcomes.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
          if (ms > DEADLINE_MS + MARGIN_MS) {
            late.add(outcome + " after " + ms + " ms");
          }
        }
        sent.incrementAndGet();
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    int sent() {
      return sent.get();
    }

    void awaitRequests(int n) throws Exception {
      eventually(Duration.ofSeconds(30), () -> sent.get() >= n, () -> "the client sent " + sent.get() + " requests");
    }

    synchronized String summary() {
      return "client: " + sent.get() + " requests, outcomes " + outcomes + ", slowest " + slowestMs.get() + " ms";
    }

    /** Every answer came by its deadline (plus the margin), and every failure is a typed 503 or 504. */
    synchronized void assertNoneOutlivedItsDeadline() {
      assertEquals(List.of(), late, "requests that outlived their " + DEADLINE_MS + " ms deadline; " + summary());
      for (String outcome : outcomes.keySet()) {
        assertTrue(outcome.equals("200") || outcome.equals("503") || outcome.equals("504"), summary());
      }
    }

    @Override
    public void close() {
      running = false;
      try {
        for (Thread t : threads) {
          t.join(DEADLINE_MS + 15_000);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // the threads are daemons and stop at their next request
      }
      System.out.println("failover IT: " + summary());
    }
  }
}
