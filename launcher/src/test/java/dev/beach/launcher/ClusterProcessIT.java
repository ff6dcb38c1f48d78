package dev.beach.launcher;

import dev.beach.launcher.impl.Ports;
import dev.beach.launcher.impl.SampleRealms;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Real {@code beach node} JVMs on loopback, driven through node A's HTTP gateway. A runs the whole class with the
 * embedded default configuration (so the samples run as deployments applied at start); each test adds one node seeded to A.
 */
class ClusterProcessIT {

  private static final Duration START = Duration.ofSeconds(90);
  private static final String HOST = "127.0.0.1";

  @TempDir
  static Path dir;

  private static Path code;
  private static int portA;
  private static int portB;
  private static int portC;
  private static BeachProcess a;
  private static String api;

  private BeachProcess other;

  @BeforeAll
  static void startA() throws Exception {
    code = dir.resolve("realms");
    copyTree(SampleRealms.repositorySamples(), code);
    // A realm that exists only at test time, as a single .java file: the node compiles it when it is deployed.
    Files.createDirectories(code.resolve("itest"));
    Files.writeString(code.resolve("itest/Where.java"), String.join("\n",
      "import dev.beach.Actor;",
      "import io.vertx.core.Future;",
      "import io.vertx.core.json.JsonObject;",
      "",
      "public class Where extends Actor {",
      "  @Override",
      "  public Future<?> start() {",
      "    on(\"where\", req -> req.reply(new JsonObject().put(\"node\", beach().nodeId()).put(\"actor\", id())",
      "      .put(\"hello\", req.json().getString(\"name\"))));",
      "    return super.start();",
      "  }",
      "}",
      ""));
    portA = Ports.anyFree(HOST);
    portB = Ports.anyFree(HOST);
    portC = Ports.anyFree(HOST);
    a = BeachProcess.node("a", dir, "--host", HOST, "--port", Integer.toString(portA),
      "--seeds", HOST + ":" + portB + "," + HOST + ":" + portC,
      "--gateway-port", "0", "--code", code.toString(), "--tags", "a");
    a.awaitUp(START);
    api = a.gatewayUrl() + "/v1";
  }

  @AfterAll
  static void stopA() throws Exception {
    if (a != null) {
      a.close();
    }
  }

  @AfterEach
  void stopOther() throws Exception {
    if (other != null) {
      other.close();
    }
  }

  private BeachProcess startOther(String name, int port) throws Exception {
    other = BeachProcess.node(name, dir, "--host", HOST, "--port", Integer.toString(port),
      "--seeds", HOST + ":" + portA, "--no-gateway", "--code", code.toString(), "--tags", name);
    String id = other.awaitUp(START);
    eventually(Duration.ofSeconds(15), () -> nodeIds().contains(id), () -> "A never listed " + id + ": " + nodeIds());
    return other;
  }

  @Test
  void twoNodesFormOneClusterAndAJavaActorPlacedOnTheOtherAnswers() throws Exception {
    BeachProcess b = startOther("b", portB);
    assertTrue(b.outputHas(l -> l.contains("(2 nodes)")), "B's banner counts both nodes:\n" + b.output());

    // The embedded default applied the samples as deployments once: B found them as its list says and left them alone.
    assertEquals(new JsonObject().put("x", 1), Http.post(api + "/realms/global/categories/echo/echo",
      new JsonObject().put("x", 1)).json());
    assertTrue(b.outputHas(l -> l.contains("deployment global-echo unchanged (deploy list)")), b.output());
    assertEquals(2, categoryCount("global", "echo"), "B must not deploy the samples a second time");

    Http.Reply deployed = Http.post(api + "/realms/itest/actors", new JsonObject()
      .put("class", "Where").put("categories", new JsonArray().add("where")).put("strategy", "node(" + b.nodeId() + ")"));
    assertEquals(201, deployed.status(), deployed.body());

    Http.Reply answer = Http.post(api + "/realms/itest/categories/where/where", new JsonObject().put("name", "sea"));
    assertEquals(200, answer.status(), answer.body());
    JsonObject reply = answer.json();
    assertEquals(b.nodeId(), reply.getString("node"), "placed with node(B), so B answers");
    assertEquals("sea", reply.getString("hello"));
    assertEquals(1, realmActors("itest"));

    b.kill9();
    long killed = System.nanoTime();
    eventually(Duration.ofSeconds(5), () -> realmActors("itest") == 0,
      () -> "B's actor still listed on A 5 s after kill -9: " + realmsJson());
    long ms = (System.nanoTime() - killed) / 1_000_000;
    System.out.println("kill -9: A's directory dropped B's actor after " + ms + " ms");
    assertTrue(ms < 5000, "purged after " + ms + " ms");
    eventually(Duration.ofSeconds(5), () -> !nodeIds().contains(b.nodeId()), () -> "B still a member: " + nodeIds());
  }

  @Test
  void sigtermDrainsLeavesTheClusterAndExitsZero() throws Exception {
    BeachProcess c = startOther("c", portC);
    Http.Reply deployed = Http.post(api + "/realms/itest/actors", new JsonObject()
      .put("class", "Where").put("categories", new JsonArray().add("where.c")).put("strategy", "node(tag:c)"));
    assertEquals(201, deployed.status(), deployed.body());

    int exit = c.terminate(Duration.ofSeconds(60));
    long exited = System.nanoTime();

    assertEquals(0, exit, c.output());
    assertTrue(c.outputHas(l -> l.contains("SIGTERM: draining")), c.output());
    assertTrue(c.outputHas(l -> l.contains("node " + c.nodeId() + " left the cluster")), c.output());
    eventually(Duration.ofSeconds(3), () -> !nodeIds().contains(c.nodeId()), () -> "A still lists C: " + nodeIds());
    eventually(Duration.ofSeconds(3), () -> realmActors("itest") == 0, () -> "C's actor still listed: " + realmsJson());
    long ms = (System.nanoTime() - exited) / 1_000_000;
    System.out.println("SIGTERM: A saw C leave " + ms + " ms after C exited");
    assertTrue(ms < 3000, "A saw C leave " + ms + " ms after it exited");
  }

  @Test
  void aNodeShutDownThroughTheGatewayExitsZero() throws Exception {
    BeachProcess d = startOther("d", Ports.anyFree(HOST));
    Http.Reply r = Http.post(api + "/admin/shutdown?node=" + d.nodeId() + "&confirm=true", new JsonObject());
    assertTrue(r.status() / 100 == 2, r.status() + " " + r.body());
    assertEquals(0, d.awaitExit(Duration.ofSeconds(60)), d.output());
    assertTrue(d.outputHas(l -> l.contains("was shut down: draining and leaving the cluster")), d.output());
    eventually(Duration.ofSeconds(3), () -> !nodeIds().contains(d.nodeId()), () -> "A still lists D: " + nodeIds());
  }

  @Test
  void invalidConfigurationExitsWithCode2NamingTheKey() throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "cluster:\n  port: fifty\n");
    try (BeachProcess p = BeachProcess.start("bad", dir, Map.of(), List.of("node", "--config", bad.toString()))) {
      assertEquals(2, p.awaitExit(Duration.ofSeconds(60)), p.output());
      assertTrue(p.output().contains("beach: invalid configuration: cluster.port must be an integer, got \"fifty\" (in "
        + bad.toAbsolutePath() + ")"), p.output());
    }
    try (BeachProcess p = BeachProcess.start("badenv", dir, Map.of("BEACH_CLUSTER_SEEDS", "10.0.0.1:http"), List.of("node"))) {
      assertEquals(2, p.awaitExit(Duration.ofSeconds(60)), p.output());
      assertTrue(p.output().contains("cluster.seeds entry '10.0.0.1:http'"), p.output());
    }
  }

  @Test
  void takenPortsAreReportedBeforeAnythingStarts() throws Exception {
    try (BeachProcess p = BeachProcess.node("taken", dir, "--port", Integer.toString(portA), "--no-deploy")) {
      assertEquals(11, p.awaitExit(Duration.ofSeconds(60)), p.output());
      assertTrue(p.output().contains("beach: could not join the cluster: 127.0.0.1:" + portA + " is already in use"), p.output());
    }
    try (BeachProcess p = BeachProcess.start("taken-eb", dir, Map.of("BEACH_CLUSTER_EVENT_BUS_PORT", Integer.toString(portA)),
      List.of("node", "--port", Integer.toString(Ports.anyFree(HOST)), "--no-gateway"))) {
      assertEquals(11, p.awaitExit(Duration.ofSeconds(60)), p.output());
      assertTrue(p.output().contains("event bus port 127.0.0.1:" + portA + " is already in use"), p.output());
    }
    int gatewayPort = Integer.parseInt(api.replaceAll(".*:(\\d+)/v1$", "$1"));
    try (BeachProcess p = BeachProcess.node("taken-gw", dir, "--port", Integer.toString(Ports.anyFree(HOST)), "--gateway-port", Integer.toString(gatewayPort))) {
      assertEquals(15, p.awaitExit(Duration.ofSeconds(60)), p.output());
      assertTrue(p.output().contains("beach: the gateway cannot listen: 127.0.0.1:" + gatewayPort + " is already in use"), p.output());
    }
  }

  private static List<String> nodeIds() throws Exception {
    JsonArray nodes = Http.get(api + "/nodes").json();
    return nodes.stream().map(n -> ((JsonObject) n).getString("id")).toList();
  }

  private static String realmsJson() throws Exception {
    return Http.get(api + "/realms").body();
  }

  /** Actors of a realm in A's directory (the directory view, not a live query of hosting nodes). */
  private static int realmActors(String realm) throws Exception {
    JsonArray realms = Http.get(api + "/realms").json();
    return realms.stream().map(JsonObject.class::cast).filter(r -> realm.equals(r.getString("name")))
      .mapToInt(r -> r.getInteger("actors")).sum();
  }

  private static int categoryCount(String realm, String category) throws Exception {
    JsonArray cats = Http.get(api + "/realms/" + realm + "/categories").json();
    return cats.stream().map(JsonObject.class::cast).filter(c -> category.equals(c.getString("name")))
      .mapToInt(c -> c.getInteger("actors")).sum();
  }

  static void eventually(Duration timeout, Callable<Boolean> condition, Callable<String> message) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.call()) {
        return;
      }
      Thread.sleep(50);
    }
    if (!condition.call()) {
      fail(message.call());
    }
  }

  private static void copyTree(Path from, Path to) throws Exception {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path dest = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(dest);
        } else {
          Files.copy(f, dest);
        }
      }
    }
  }
}
