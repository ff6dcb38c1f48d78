package dev.beach.launcher;

import dev.beach.launcher.impl.SampleRealms;
import dev.beach.spi.ClusterSupport;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.beach.launcher.ClusterProcessIT.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A hung peer, for real: two {@code beach node} processes on loopback, actors on B called through A's gateway, then
 * B frozen with SIGSTOP (alive, its sockets open, answering nothing: a stuck machine or a very long GC pause) and
 * later resumed with SIGCONT. Requests in flight to B must fail by their deadline, B must leave A's view within
 * the heartbeat settings, and once resumed B must come back: both nodes list each other and hold the same
 * directory, every entry answering.
 * <p>
 * What happens on SIGCONT (Hazelcast 5.3, seen in the nodes' logs): B notices the clock jump and resets its
 * heartbeat timestamps, its first heartbeat makes A send it an explicit suspicion, B drops A and is a cluster of
 * one, then the split-brain check (every 5 s) merges the two one-member clusters: the member with the greater
 * address restarts its Hazelcast node with a new member UUID (the Vert.x node id, a member attribute, stays) and
 * Vert.x republishes its subscriptions on MERGED. Neither node restarts Beach, so each directory gets the other's
 * actors back from the statistics-driven sync (a peer's reported sequence ahead of ours for directorySyncMs).
 */
class HungNodeIT {

  private static final String HOST = "127.0.0.1";
  private static final String REALM = "hung";
  private static final Duration START = Duration.ofSeconds(90);
  private static final int HEARTBEAT_S = 1;
  private static final int MAX_NO_HEARTBEAT_S = 3;
  /** Slack for a loaded 2-core machine (GC, scheduling, the HTTP hop) on top of any bound the node promises. */
  private static final long MARGIN_MS = 1000;
  /** A silent member is dropped after maxNoHeartbeatSeconds; the master notices at its next heartbeat check. */
  private static final long DETECTION_MS = (MAX_NO_HEARTBEAT_S + HEARTBEAT_S) * 1000L + MARGIN_MS;
  /** After SIGCONT: B learns it was dropped, Hazelcast's split-brain check (every 5 s) merges it back, directories sync. */
  private static final Duration CONVERGE = Duration.ofSeconds(30);

  @TempDir
  Path dir;

  private BeachProcess a;
  private BeachProcess b;

  @AfterEach
  void stopNodes() {
    // close() resumes a stopped process before killing it: a failing run leaves nothing behind, frozen or not.
    for (BeachProcess p : new BeachProcess[]{b, a}) {
      if (p != null) {
        p.close();
      }
    }
  }

  @Test
  void requestsToAHungNodeFailByTheirDeadlineItLeavesTheViewAndRejoinsWhenResumed() throws Exception {
    Path code = dir.resolve("realms");
    Files.createDirectories(code.resolve(REALM));
    Files.copy(SampleRealms.repositorySamples().resolve("global/Sleeper.java"), code.resolve(REALM + "/Sleeper.java"));
    int portA = ClusterSupport.freePort(HOST);
    int portB = ClusterSupport.freePort(HOST);
    Map<String, String> heartbeats = Map.of(
      "BEACH_CLUSTER_HEARTBEAT_SECONDS", Integer.toString(HEARTBEAT_S),
      "BEACH_CLUSTER_MAX_NO_HEARTBEAT_SECONDS", Integer.toString(MAX_NO_HEARTBEAT_S));
    // A first, so A is the oldest member (Hazelcast's master) and B the one that hangs.
    a = BeachProcess.node("a", dir, heartbeats, "--host", HOST, "--port", Integer.toString(portA),
      "--seeds", HOST + ":" + portB, "--gateway-port", "0", "--code", code.toString(), "--tags", "a", "--no-deploy");
    a.awaitUp(START);
    b = BeachProcess.node("b", dir, heartbeats, "--host", HOST, "--port", Integer.toString(portB),
      "--seeds", HOST + ":" + portA, "--gateway-port", "0", "--code", code.toString(), "--tags", "b", "--no-deploy");
    b.awaitUp(START);
    String apiA = a.gatewayUrl() + "/v1";
    String apiB = b.gatewayUrl() + "/v1";
    List<String> both = sorted(List.of(a.nodeId(), b.nodeId()));
    eventually(Duration.ofSeconds(15), () -> nodeIds(apiA).equals(both) && nodeIds(apiB).equals(both),
      () -> "the nodes never saw each other: A " + nodeIds(apiA) + ", B " + nodeIds(apiB));

    // Three sleepers on B (the actors that will hang), two on A (what B must find again after it resumes).
    List<String> expected = new ArrayList<>();
    deploy(apiA, "sleeper.b", 3, "b").forEach(id -> expected.add(id + "@" + b.nodeId()));
    deploy(apiA, "sleeper.a", 2, "a").forEach(id -> expected.add(id + "@" + a.nodeId()));
    List<String> all = sorted(expected);
    eventually(Duration.ofSeconds(15), () -> all.equals(directory(apiA)) && all.equals(directory(apiB)),
      () -> "directories before the hang: A " + directory(apiA) + ", B " + directory(apiB) + ", expected " + all);

    // 1. Requests in flight to B when it hangs, with deadlines shorter and longer than failure detection.
    List<Call> calls = new ArrayList<>();
    for (long timeout : new long[]{1500, 2500, 4000, 30_000}) {
      calls.add(Call.sleep(apiA, timeout));
    }
    eventually(Duration.ofSeconds(10), () -> pendingOn(apiB, b.nodeId()) == calls.size(),
      () -> "B is not running the " + calls.size() + " requests: " + pendingOn(apiB, b.nodeId()) + " pending");
    b.sigstop(Duration.ofSeconds(60));
    long stopped = System.nanoTime();
    // ... and one sent after it hung, before anyone noticed.
    calls.add(Call.sleepAfterStop(apiA, 1500));

    // 2. B leaves A's view, and its actors A's directory, within the heartbeat settings. Two steps, each polled: the
    //    member list changes first, and Beach purges the directory when Hazelcast delivers the membership event.
    eventually(Duration.ofMillis(DETECTION_MS + 5000), () -> !nodeIds(apiA).contains(b.nodeId()),
      () -> "A still lists the hung node: " + nodeIds(apiA));
    long leftMs = msSince(stopped);
    eventually(Duration.ofMillis(DETECTION_MS + 5000), () -> directoryCounts(apiA).stream().noneMatch(s -> s.contains(b.nodeId())),
      () -> "B's actors still in A's directory: " + directoryCounts(apiA));
    long purgedMs = msSince(stopped);
    List<String> onA = directoryCounts(apiA);
    System.out.println("hung node: left A's view " + leftMs + " ms and A's directory " + purgedMs
      + " ms after SIGSTOP (maxNoHeartbeatSeconds " + MAX_NO_HEARTBEAT_S + "); A's directory then: " + onA);
    assertTrue(leftMs <= DETECTION_MS, "B left A's view " + leftMs + " ms after SIGSTOP, over " + DETECTION_MS + " ms");
    assertTrue(purgedMs <= DETECTION_MS, "B's actors left A's directory " + purgedMs + " ms after SIGSTOP, over "
      + DETECTION_MS + " ms");
    assertEquals(List.of("sleeper.a@" + a.nodeId() + "=2"), onA, "A's own actors stay");

    for (Call c : calls) {
      Http.Reply r = c.reply();
      System.out.println("hung node: request with timeout " + c.timeoutMs + " ms answered " + r.status() + " after "
        + c.elapsedMs() + " ms" + (c.sentAfterStop ? " (sent after SIGSTOP)" : "") + ": " + r.body());
      assertTrue(r.status() == 504 || r.status() == 503, "timeout " + c.timeoutMs + ": " + r.status() + " " + r.body());
      JsonObject error = new JsonObject(r.body()).getJsonObject("error");
      // The node's own typed error, naming the actor and its node: the gateway's last-resort guard (deadline + 1 s)
      // names neither, so a node that ignored the deadline cannot hide behind it.
      assertTrue(error != null && error.getInteger("code") == r.status() && error.getString("message") != null
        && b.nodeId().equals(error.getString("node")) && error.getString("actor") != null, "a typed JSON error: " + r.body());
      assertTrue(c.elapsedMs() <= c.timeoutMs + MARGIN_MS, "timeout " + c.timeoutMs + " ms, answered after "
        + c.elapsedMs() + " ms: " + r.body());
      // A deadline beyond failure detection must not be waited out: losing the node fails the request.
      assertTrue(c.answeredMsAfter(stopped) <= Math.min(c.timeoutMs, DETECTION_MS) + MARGIN_MS,
        "timeout " + c.timeoutMs + " ms, answered " + c.answeredMsAfter(stopped) + " ms after SIGSTOP: " + r.body());
    }

    // 3. Resumed, B finds its way back: one view, one directory, every entry answering, and it stays so.
    b.sigcont();
    long resumed = System.nanoTime();
    eventually(CONVERGE, () -> converged(apiA, apiB, both, all),
      () -> "no convergence " + CONVERGE.toSeconds() + " s after SIGCONT: nodes A " + nodeIds(apiA) + ", B " + nodeIds(apiB)
        + "; directory A " + directory(apiA) + ", B " + directory(apiB) + ", expected " + all + "\n--- B:\n" + tail(b)
        + "\n--- A:\n" + tail(a));
    long convergedMs = msSince(resumed);
    System.out.println("hung node: cluster converged " + convergedMs + " ms after SIGCONT");
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    while (System.nanoTime() < until) {
      assertTrue(converged(apiA, apiB, both, all), "converged, then apart again: nodes A " + nodeIds(apiA) + ", B "
        + nodeIds(apiB) + "; directory A " + directory(apiA) + ", B " + directory(apiB));
      Thread.sleep(250);
    }

    // And it works as a cluster again: A deploys on B (control plane A -> B), and B's start event reaches both
    // directories sooner than the periodic sync could (a lag must last directorySyncMs, 2 s, before a pull).
    String late = deploy(apiA, "sleeper.b", 1, "b").get(0) + "@" + b.nodeId();
    long deployed = System.nanoTime();
    List<String> more = sorted(Stream.concat(all.stream(), Stream.of(late)).toList());
    eventually(Duration.ofSeconds(2), () -> more.equals(directory(apiA)) && more.equals(directory(apiB)),
      () -> "an actor deployed after the rejoin: directory A " + directory(apiA) + ", B " + directory(apiB) + ", expected " + more);
    System.out.println("hung node: an actor deployed on B after the rejoin was in both directories " + msSince(deployed) + " ms later");
  }

  /** One request through A's gateway to B's sleepers, sleeping far longer than its deadline. */
  private static final class Call {
    final long timeoutMs;
    final long sent = System.nanoTime();
    final boolean sentAfterStop;
    final CompletableFuture<Http.Reply> reply;
    volatile long answered;

    private Call(String api, long timeoutMs, boolean afterStop) {
      this.timeoutMs = timeoutMs;
      this.sentAfterStop = afterStop;
      // The client gives up 15 s after the deadline: a hanging request fails this test, it never stalls it.
      this.reply = Http.postAsync(api + "/realms/" + REALM + "/categories/sleeper.b/sleep?timeout=" + timeoutMs,
          new JsonObject().put("ms", 120_000), Duration.ofMillis(timeoutMs + 15_000))
        .whenComplete((r, e) -> answered = System.nanoTime());
    }

    static Call sleep(String api, long timeoutMs) {
      return new Call(api, timeoutMs, false);
    }

    static Call sleepAfterStop(String api, long timeoutMs) {
      return new Call(api, timeoutMs, true);
    }

    Http.Reply reply() throws Exception {
      try {
        return reply.get();
      } catch (java.util.concurrent.ExecutionException e) {
        fail("the request with timeout " + timeoutMs + " ms got no answer: " + e.getCause());
        return null;
      }
    }

    long elapsedMs() {
      return (answered - sent) / 1_000_000;
    }

    long answeredMsAfter(long nanos) {
      return (answered - nanos) / 1_000_000;
    }
  }

  private List<String> deploy(String api, String category, int instances, String tag) throws Exception {
    Http.Reply r = Http.post(api + "/realms/" + REALM + "/actors", new JsonObject().put("class", "Sleeper")
      .put("categories", new JsonArray().add(category)).put("instances", instances).put("concurrency", 16)
      .put("strategy", "node(tag:" + tag + ")"));
    assertEquals(201, r.status(), r.body());
    JsonObject body = r.json();
    return body.getJsonArray("ids").stream().map(String.class::cast).toList();
  }

  /**
   * Both nodes list both nodes, and each one's directory is exactly {@code expected}: a {@code mode=all} request
   * goes to every directory entry reaching {@code sleeper}, so its replies name each entry (a duplicate shows
   * twice), and each entry must answer (a stale entry or a lost subscription would fail).
   */
  private static boolean converged(String apiA, String apiB, List<String> nodes, List<String> expected) throws Exception {
    return nodeIds(apiA).equals(nodes) && nodeIds(apiB).equals(nodes)
      && expected.equals(directory(apiA)) && expected.equals(directory(apiB));
  }

  /** {@code actorId@nodeId} of every directory entry of the node behind {@code api}, sorted; only entries that answered. */
  private static List<String> directory(String api) throws Exception {
    Http.Reply r = Http.post(api + "/realms/" + REALM + "/categories/sleeper/sleep?mode=all&timeout=3000",
      new JsonObject().put("ms", 0));
    if (r.status() != 200) {
      return List.of(r.status() + " " + r.body());
    }
    List<String> out = new ArrayList<>();
    for (Object o : ((JsonObject) r.json()).getJsonArray("replies")) {
      JsonObject reply = (JsonObject) o;
      out.add(reply.getString("actor") + "@" + reply.getString("node")
        + (reply.getBoolean("ok", false) ? "" : " failed: " + reply.getValue("error")));
    }
    return sorted(out);
  }

  /** The directory's actor counts per category and node ({@code category@node=n}), read without calling anyone. */
  private static List<String> directoryCounts(String api) throws Exception {
    List<String> out = new ArrayList<>();
    for (Object o : (JsonArray) Http.get(api + "/realms/" + REALM + "/categories").json()) {
      JsonObject c = (JsonObject) o;
      c.getJsonObject("nodes").forEach(e -> out.add(c.getString("name") + "@" + e.getKey() + "=" + e.getValue()));
    }
    return sorted(out);
  }

  /** Requests the actors of {@code node} are running or holding, as that node reports them. */
  private static int pendingOn(String api, String node) throws Exception {
    int pending = 0;
    for (Object o : (JsonArray) Http.get(api + "/realms/" + REALM + "/actors?node=" + node).json()) {
      JsonObject stats = ((JsonObject) o).getJsonObject("stats");
      pending += stats == null ? 0 : stats.getInteger("pending", 0);
    }
    return pending;
  }

  private static List<String> nodeIds(String api) throws Exception {
    JsonArray nodes = Http.get(api + "/nodes").json();
    return sorted(nodes.stream().map(n -> ((JsonObject) n).getString("id")).toList());
  }

  private static List<String> sorted(List<String> list) {
    List<String> out = new ArrayList<>(list);
    out.sort(null);
    return out;
  }

  private static long msSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }

  private static String tail(BeachProcess p) {
    List<String> lines = p.output().lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }
}
