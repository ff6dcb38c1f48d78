package dev.beach.bench;

import dev.beach.spi.ClusterSupport;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Stream;

/**
 * Self-healing under load: three node JVMs ({@link FailoverNode}: gateway, realm code from a folder, a data folder
 * each), a deployment of {@code instances} echo actors spread over them, and clients sending requests with a
 * deadline through the gateways of the nodes not about to die. Then {@code kills} times: kill -9 a node hosting part
 * of the deployment (every other kill the leader, the oldest node, when it hosts part), measure, start it again on
 * its port and data folder, wait until the cluster is whole.
 * <p>
 * Per kill, from the SIGKILL: {@code left} (a survivor's node list drops the dead node: Hazelcast noticed),
 * {@code back} (the survivor's directory lists {@code instances} actors again, none on the dead node) and
 * {@code answering} (each of them answers a request). Over the run: requests, failed ones by status, and those
 * answered later than their deadline plus {@code slack-ms} ({@code outlived_deadline}, which must be 0).
 * Goal: answering p50 ≤ {@value #GOAL_P50_MS} ms, max ≤ {@value #GOAL_MAX_MS} ms.
 */
public final class FailoverScenario implements Scenario {

  static final long GOAL_P50_MS = 1000;
  static final long GOAL_MAX_MS = 3000;
  private static final String REALM = "failover";
  private static final String DEPLOYMENT = "failover";
  private static final String HOST = "127.0.0.1";
  private static final int NODES = 3;
  /** The longest any one kill may take to heal before the run is given up as broken. */
  private static final long HEAL_LIMIT_MS = 60_000;
  /** The actor, as a realm source file: deployed the way {@code beach node} users deploy (compiled on the node). */
  private static final String ECHO = String.join("\n",
    "import dev.beach.Actor;",
    "import io.vertx.core.Future;",
    "import io.vertx.core.json.JsonObject;",
    "",
    "public class Echo extends Actor {",
    "  @Override",
    "  public Future<?> start() {",
    "    on(\"echo\", req -> req.reply(req.body()));",
    "    on(\"whoami\", req -> req.reply(new JsonObject().put(\"actor\", id()).put(\"node\", beach().nodeId())));",
    "    return super.start();",
    "  }",
    "}",
    "");

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Override
  public String name() {
    return "failover";
  }

  @Override
  public String description() {
    return "kill -9 a node hosting part of a deployment under request load, restart it, again; time until the"
      + " deployment is whole and answering (goal p50 <= " + GOAL_P50_MS + " ms, max <= " + GOAL_MAX_MS + " ms)"
      + " [--kills 10 --instances 6 --clients 4 --deadline-ms 1000 --slack-ms 500 --settle 1]";
  }

  @Override
  public JsonObject run(Options options) throws Exception {
    int kills = (int) options.number("kills", 10);
    int instances = (int) options.number("instances", 6);
    int clients = (int) options.number("clients", 4);
    long deadlineMs = options.number("deadline-ms", 1000);
    long slackMs = options.number("slack-ms", 500);
    double settle = options.seconds("settle", 1);
    options.done();
    if (kills < 1 || instances < 1 || clients < 1 || deadlineMs < 1 || slackMs < 0) {
      throw new IllegalArgumentException("--kills, --instances, --clients and --deadline-ms must be at least 1,"
        + " --slack-ms at least 0");
    }
    Path work = Files.createTempDirectory("beach-failover-");
    Node[] nodes = new Node[NODES];
    try {
      Files.createDirectories(work.resolve("code").resolve(REALM));
      Files.writeString(work.resolve("code").resolve(REALM).resolve("Echo.java"), ECHO);
      int[] ports = new int[NODES];
      for (int i = 0; i < NODES; i++) {
        ports[i] = ClusterSupport.freePort();
      }
      // Oldest first: node 0 leads until it dies; a restarted node joins as the youngest.
      List<Integer> age = new ArrayList<>();
      nodes[0] = Node.start(0, ports, work);
      nodes[0].awaitReady();
      age.add(0);
      for (int i = 1; i < NODES; i++) {
        nodes[i] = Node.start(i, ports, work);
      }
      for (int i = 1; i < NODES; i++) {
        nodes[i].awaitReady();
        age.add(i);
      }
      awaitWhole(nodes, NODES);
      JsonObject deployment = new JsonObject().put("realm", REALM).put("class", "Echo")
        .put("categories", new JsonArray().add(DEPLOYMENT)).put("instances", instances).put("strategy", "spread");
      HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(nodes[0].api() + "/deployments/" + DEPLOYMENT))
        .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(deployment.encode()))
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
      if (put.statusCode() != 201) {
        throw new IllegalStateException("PUT deployment: " + put.statusCode() + " " + put.body());
      }
      awaitAnswering(nodes[0], instances, null, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(HEAL_LIMIT_MS));

      Load load = new Load(clients, deadlineMs, slackMs);
      load.target(List.of(nodes));
      Samples left = new Samples();
      Samples back = new Samples();
      Samples answering = new Samples();
      JsonArray perKill = new JsonArray();
      long failedMostInOneKill = 0;
      int leaderKills = 0;
      try {
        for (int k = 0; k < kills; k++) {
          Map<String, Integer> hosting = hosting(nodes[age.get(0)]);
          int leader = age.get(0);
          int victim = k % 2 == 0 && hosting.containsKey(nodes[leader].id) ? leader : youngestHosting(nodes, age, hosting);
          boolean killsLeader = victim == leader;
          leaderKills += killsLeader ? 1 : 0;
          List<Node> survivors = new ArrayList<>();
          for (int i = 0; i < NODES; i++) {
            if (i != victim) {
              survivors.add(nodes[i]);
            }
          }
          // A load balancer stops sending to a node before it is killed here: what fails is Beach's doing, not a
          // refused connection to the dead node's own gateway.
          load.target(survivors);
          long failedBefore = load.failed.get();
          Node observer = survivors.get(0);
          String dead = nodes[victim].id;
          long t0 = System.nanoTime();
          nodes[victim].jvm.kill();
          long[] times = measure(observer, instances, dead, t0);
          long failedNow = load.failed.get() - failedBefore;
          failedMostInOneKill = Math.max(failedMostInOneKill, failedNow);
          left.add(times[0]);
          back.add(times[1]);
          answering.add(times[2]);
          perKill.add(new JsonObject().put("leader", killsLeader).put("hosted", hosting.getOrDefault(dead, 0))
            .put("left_ms", times[0]).put("back_ms", times[1]).put("answering_ms", times[2]).put("failed", failedNow));
          System.out.printf("kill %d (%s, hosted %d): left the view after %d ms, %d actors back after %d ms, all"
              + " answering after %d ms; %d requests failed%n", k + 1, killsLeader ? "leader" : "member",
            hosting.getOrDefault(dead, 0), times[0], instances, times[1], times[2], failedNow);
          // Back on its port and data folder, as a supervisor would restart it; the next kill waits for a whole cluster.
          nodes[victim] = Node.start(victim, ports, work);
          nodes[victim].awaitReady();
          age.remove(Integer.valueOf(victim));
          age.add(victim);
          awaitWhole(nodes, NODES);
          awaitAnswering(observer, instances, null, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(HEAL_LIMIT_MS));
          load.target(List.of(nodes));
          Thread.sleep((long) (settle * 1000));
        }
      } finally {
        load.close();
      }
      System.out.printf("failover over %d kills (%d of the leader): answering p50 %d ms, max %d ms (goal p50 <= %d,"
          + " max <= %d); %d of %d requests failed, %d outlived their deadline%n", kills, leaderKills,
        answering.percentile(0.5), answering.percentile(1.0), GOAL_P50_MS, GOAL_MAX_MS, load.failed.get(),
        load.sent.get(), load.late.get());
      return new JsonObject().put("kills", kills).put("leader_kills", leaderKills).put("instances", instances)
        .put("nodes", NODES)
        .put("left_p50_ms", left.percentile(0.5)).put("left_max_ms", left.percentile(1.0))
        .put("back_p50_ms", back.percentile(0.5)).put("back_max_ms", back.percentile(1.0))
        .put("answering_p50_ms", answering.percentile(0.5)).put("answering_max_ms", answering.percentile(1.0))
        .put("goal_p50_ms", GOAL_P50_MS).put("goal_max_ms", GOAL_MAX_MS)
        .put("requests", load.sent.get()).put("failed", load.failed.get()).put("failed_by_status", load.byStatus())
        .put("failed_most_in_one_kill", failedMostInOneKill)
        .put("deadline_ms", deadlineMs).put("outlived_deadline", load.late.get())
        .put("slowest_request_ms", load.slowestMs.get())
        .put("per_kill", perKill);
    } finally {
      for (Node n : nodes) {
        if (n != null) {
          n.jvm.close();
        }
      }
      deleteTree(work);
    }
  }

  /**
   * From the kill at {@code t0}: when {@code observer} stopped listing the dead node, when its directory listed
   * {@code instances} actors none on the dead node, and when all of them answered; milliseconds each.
   */
  private long[] measure(Node observer, int instances, String dead, long t0) throws Exception {
    long limit = t0 + TimeUnit.MILLISECONDS.toNanos(HEAL_LIMIT_MS);
    long left = -1;
    long back = -1;
    while (System.nanoTime() < limit) {
      if (left < 0 && !nodeIds(observer).contains(dead)) {
        left = msSince(t0);
      }
      if (back < 0 && countsWithout(observer, dead) == instances) {
        back = msSince(t0);
      }
      if (back >= 0 && answering(observer, instances, dead)) {
        long answered = msSince(t0);
        // The directory may show the new actors before the departure reached the node list: never report a later
        // "left" than the heal it made possible.
        return new long[]{left < 0 ? answered : left, back, answered};
      }
      Thread.sleep(5);
    }
    throw new IllegalStateException("the deployment was not whole " + HEAL_LIMIT_MS + " ms after the kill: "
      + get(observer.api() + "/realms/" + REALM + "/categories"));
  }

  /** The survivor's directory: actors of the deployment's category on live nodes, or -1 while the dead node has any. */
  private int countsWithout(Node observer, String dead) throws Exception {
    int n = 0;
    for (Object o : new JsonArray(get(observer.api() + "/realms/" + REALM + "/categories"))) {
      JsonObject c = (JsonObject) o;
      if (DEPLOYMENT.equals(c.getString("name"))) {
        JsonObject perNode = c.getJsonObject("nodes");
        if (dead != null && perNode.containsKey(dead)) {
          return -1;
        }
        for (String node : perNode.fieldNames()) {
          n += perNode.getInteger(node);
        }
      }
    }
    return n;
  }

  /** Whether every directory entry of the category answers, there are {@code instances} of them, none on {@code dead}. */
  private boolean answering(Node observer, int instances, String dead) throws Exception {
    HttpResponse<String> r = post(observer.api() + "/realms/" + REALM + "/categories/" + DEPLOYMENT
      + "/whoami?mode=all&timeout=1000", "{}", 5000);
    if (r.statusCode() != 200) {
      return false;
    }
    Set<String> actors = new HashSet<>();
    JsonArray replies = new JsonObject(r.body()).getJsonArray("replies");
    for (Object o : replies) {
      JsonObject reply = (JsonObject) o;
      if (!reply.getBoolean("ok", false) || reply.getString("node").equals(dead)) {
        return false;
      }
      actors.add(reply.getString("actor"));
    }
    return replies.size() == instances && actors.size() == instances;
  }

  private void awaitAnswering(Node observer, int instances, String dead, long deadline) throws Exception {
    while (!(countsWithout(observer, dead) == instances && answering(observer, instances, dead))) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the deployment is not whole: " + get(observer.api() + "/deployments/" + DEPLOYMENT));
      }
      Thread.sleep(20);
    }
  }

  /** Until every node's gateway lists all {@code n} nodes as ready. */
  private void awaitWhole(Node[] nodes, int n) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    for (Node node : nodes) {
      while (readyNodes(node) != n) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("node " + node.id + " does not see " + n + " ready nodes: " + get(node.api() + "/nodes"));
        }
        Thread.sleep(20);
      }
    }
  }

  private int readyNodes(Node node) throws Exception {
    int ready = 0;
    for (Object o : new JsonArray(get(node.api() + "/nodes"))) {
      ready += ((JsonObject) o).getBoolean("ready", false) ? 1 : 0;
    }
    return ready;
  }

  private Set<String> nodeIds(Node node) throws Exception {
    Set<String> ids = new HashSet<>();
    for (Object o : new JsonArray(get(node.api() + "/nodes"))) {
      ids.add(((JsonObject) o).getString("id"));
    }
    return ids;
  }

  /** Actors of the deployment per node id, as {@code node}'s directory lists them. */
  private Map<String, Integer> hosting(Node node) throws Exception {
    Map<String, Integer> out = new TreeMap<>();
    for (Object o : new JsonArray(get(node.api() + "/realms/" + REALM + "/categories"))) {
      JsonObject c = (JsonObject) o;
      if (DEPLOYMENT.equals(c.getString("name"))) {
        c.getJsonObject("nodes").forEach(e -> out.put(e.getKey(), ((Number) e.getValue()).intValue()));
      }
    }
    return out;
  }

  private static int youngestHosting(Node[] nodes, List<Integer> age, Map<String, Integer> hosting) {
    for (int i = age.size() - 1; i >= 0; i--) {
      if (hosting.containsKey(nodes[age.get(i)].id)) {
        return age.get(i);
      }
    }
    throw new IllegalStateException("no node hosts the deployment: " + hosting);
  }

  private String get(String url) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
      HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("GET " + url + ": " + r.statusCode() + " " + r.body());
    }
    return r.body();
  }

  private HttpResponse<String> post(String url, String body, long timeoutMs) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
      .POST(HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofMillis(timeoutMs)).build(),
      HttpResponse.BodyHandlers.ofString());
  }

  private static long msSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** A node JVM of the run: node {@code index} on {@code ports[index]}, seeded to the others. */
  private static final class Node {
    final ChildJvm jvm;
    String id;
    int gatewayPort;

    private Node(ChildJvm jvm) {
      this.jvm = jvm;
    }

    static Node start(int index, int[] ports, Path work) throws IOException {
      List<String> seeds = new ArrayList<>();
      for (int j = 0; j < ports.length; j++) {
        if (j != index) {
          seeds.add(HOST + ":" + ports[j]);
        }
      }
      return new Node(ChildJvm.start("node" + index, FailoverNode.class, "384m", List.of(Integer.toString(ports[index]),
        String.join(",", seeds), work.resolve("code").toString(), work.resolve("data-" + index).toString())));
    }

    void awaitReady() throws InterruptedException {
      String[] ready = jvm.awaitLine(FailoverNode.READY, 120).split(" ");
      id = ready[0];
      gatewayPort = Integer.parseInt(ready[1]);
    }

    String api() {
      return "http://" + HOST + ":" + gatewayPort + "/v1";
    }
  }

  /**
   * The clients: each sends an echo request with the deadline to the current targets in turn, then pauses 10 ms.
   * Counts requests, failures by status, and answers later than deadline + slack.
   */
  private final class Load {
    final AtomicLong sent = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong late = new AtomicLong();
    final AtomicLong slowestMs = new AtomicLong();
    private final Map<String, AtomicLong> statuses = new TreeMap<>();
    private final long deadlineMs;
    private final long slackMs;
    private final List<Thread> threads = new ArrayList<>();
    /** Requests in flight per URL, counted under {@link #choosing}'s read lock so a switch of targets sees them all. */
    private final Map<String, AtomicLong> inFlight = new ConcurrentHashMap<>();
    private final ReadWriteLock choosing = new ReentrantReadWriteLock();
    private List<String> targets = List.of();
    private volatile boolean running = true;

    Load(int clients, long deadlineMs, long slackMs) {
      this.deadlineMs = deadlineMs;
      this.slackMs = slackMs;
      for (int i = 0; i < clients; i++) {
        int first = i;
        Thread t = new Thread(() -> loop(first), "failover-client-" + i);
        t.setDaemon(true);
        threads.add(t);
        t.start();
      }
    }

    /** Sends to these nodes from the next request on; returns once no request to any other node is in flight. */
    void target(List<Node> nodes) throws InterruptedException {
      List<String> urls = new ArrayList<>();
      for (Node n : nodes) {
        urls.add(n.api() + "/realms/" + REALM + "/categories/" + DEPLOYMENT + "/echo?timeout=" + deadlineMs);
      }
      choosing.writeLock().lock();
      try {
        targets = List.copyOf(urls);
      } finally {
        choosing.writeLock().unlock();
      }
      // Requests already sent elsewhere finish first (each within its deadline, or the client's own timeout).
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(deadlineMs + slackMs + 10_000);
      while (running && System.nanoTime() < deadline && inFlight.entrySet().stream()
        .anyMatch(e -> !urls.contains(e.getKey()) && e.getValue().get() > 0)) {
        Thread.sleep(2);
      }
    }

    private void loop(int n) {
      while (running) {
        String url;
        choosing.readLock().lock();
        try {
          url = targets.isEmpty() ? null : targets.get(n++ % targets.size());
          if (url != null) {
            inFlight.computeIfAbsent(url, u -> new AtomicLong()).incrementAndGet();
          }
        } finally {
          choosing.readLock().unlock();
        }
        if (url == null) {
          pause(10);
          continue;
        }
        long t0 = System.nanoTime();
        String outcome;
        try {
          HttpResponse<String> r = post(url, "{\"n\":" + n + "}", deadlineMs + slackMs + 10_000);
          outcome = r.statusCode() == 200 ? null : Integer.toString(r.statusCode());
        } catch (IOException e) {
          outcome = "no answer";
        } catch (InterruptedException e) {
          return;
        } finally {
          inFlight.get(url).decrementAndGet();
        }
        long ms = msSince(t0);
        slowestMs.accumulateAndGet(ms, Math::max);
        if (ms > deadlineMs + slackMs) {
          late.incrementAndGet();
        }
        if (outcome != null) {
          failed.incrementAndGet();
          synchronized (statuses) {
            statuses.computeIfAbsent(outcome, s -> new AtomicLong()).incrementAndGet();
          }
        }
        sent.incrementAndGet();
        pause(10);
      }
    }

    private void pause(long ms) {
      try {
        Thread.sleep(ms);
      } catch (InterruptedException e) {
        running = false;
      }
    }

    JsonObject byStatus() {
      JsonObject out = new JsonObject();
      synchronized (statuses) {
        statuses.forEach((status, n) -> out.put(status, n.get()));
      }
      return out;
    }

    void close() throws InterruptedException {
      running = false;
      for (Thread t : threads) {
        t.join(deadlineMs + slackMs + 15_000);
      }
    }
  }
}
