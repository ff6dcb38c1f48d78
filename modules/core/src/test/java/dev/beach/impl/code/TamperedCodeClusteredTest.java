package dev.beach.impl.code;

import dev.beach.ActorSpec;
import dev.beach.Address;
import dev.beach.BeachException;
import dev.beach.BeachNode;
import dev.beach.ClusterOptions;
import dev.beach.ErrorCode;
import dev.beach.NodeOptions;
import dev.beach.Placement;
import dev.beach.impl.cluster.HazelcastSupport;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Two Beach nodes sharing a cluster secret, and an intruder: a plain Vert.x member that joined Hazelcast (the
 * open-source edition authenticates no member) and writes the code map directly. No node writes, compiles or runs
 * what the intruder wrote, each reports it ({@code code.rejected}), and honestly pushed code still replicates and
 * compiles on the other node.
 */
class TamperedCodeClusteredTest {

  private static final String SECRET = "tampered-code-test-secret-0123456789";

  @TempDir
  Path tmp;
  private final List<BeachNode> nodes = new ArrayList<>();
  private Vertx intruder;

  @AfterEach
  void stop() throws Exception {
    for (BeachNode node : nodes) {
      node.close().await(30, TimeUnit.SECONDS);
    }
    if (intruder != null) {
      intruder.close().await(30, TimeUnit.SECONDS);
    }
  }

  private static String greeter(String who) {
    return "import io.vertx.core.Future;\n"
      + "import io.vertx.core.json.JsonObject;\n"
      + "public class Greeter extends dev.beach.Actor {\n"
      + "  @Override\n"
      + "  public Future<?> start() {\n"
      + "    on(\"who\", req -> req.reply(new JsonObject().put(\"who\", \"" + who + "\")));\n"
      + "    return super.start();\n"
      + "  }\n"
      + "}\n";
  }

  @Test
  void tamperedReplicatedCodeIsRefusedOnEveryNode() throws Exception {
    String cluster = "tamper-" + System.nanoTime();
    int pa = freePort();
    int pb = freePort();
    int px = freePort();
    List<String> seeds = List.of("127.0.0.1:" + pa, "127.0.0.1:" + pb, "127.0.0.1:" + px);
    BeachNode a = node(cluster, pa, seeds, "a");
    List<JsonObject> rejected = new CopyOnWriteArrayList<>();
    a.vertx().eventBus().<JsonObject>consumer(Address.EVENTS, m -> {
      if ("code.rejected".equals(m.body().getString("type"))) {
        rejected.add(m.body());
      }
    }).completion().await(10, TimeUnit.SECONDS);

    ClusterOptions rogue = new ClusterOptions().setName(cluster).setHost("127.0.0.1").setPort(px).setSeeds(seeds);
    intruder = Vertx.builder().with(HazelcastSupport.vertxOptions(rogue))
      .withClusterManager(HazelcastSupport.clusterManager(rogue)).buildClustered().await(60, TimeUnit.SECONDS);
    AsyncMap<String, Buffer> map = intruder.sharedData().<String, Buffer>getAsyncMap(Address.CODE_MAP)
      .await(10, TimeUnit.SECONDS);

    // Before b starts: raw code, and an entry signed with a secret the cluster does not use.
    map.put("demo/Raw.java", Buffer.buffer(greeter("raw"))).await(10, TimeUnit.SECONDS);
    Buffer evil = Buffer.buffer(greeter("forged"));
    map.put("demo/Forged.java", CodeEntry.signed("demo", "Forged.java", RealmFiles.sha256(evil.getBytes()), evil.length(),
      Long.MAX_VALUE, a.id(), CodeSigner.of("a-guessed-secret-0123456789")).encode(evil)).await(10, TimeUnit.SECONDS);
    announce(a, "demo", "Raw.java");
    announce(a, "demo", "Forged.java");

    BeachNode b = node(cluster, pb, seeds, "b"); // copies what the map holds as it starts
    await("both nodes to report both forged files", () -> reporters(rejected, "Raw.java").size() == 2
      && reporters(rejected, "Forged.java").size() == 2);
    assertEquals(Set.of(a.id(), b.id()), reporters(rejected, "Forged.java"));

    // An honest push from a is verified by b, written, and compiles there.
    a.beach().pushCode("demo", "Greeter.java", Buffer.buffer(greeter("pushed"))).await(20, TimeUnit.SECONDS);
    Path onB = tmp.resolve("b/demo/Greeter.java");
    await("b to copy the pushed file", () -> Files.exists(onB));
    a.beach().deploy(ActorSpec.of("demo", "Greeter", "greet").setPlacement(Placement.nodeId(b.id())))
      .await(30, TimeUnit.SECONDS);
    assertEquals("pushed", who(a));

    // The signed entry with its content swapped, then with a matching hash but the old signature.
    Buffer signed = map.get("demo/Greeter.java").await(10, TimeUnit.SECONDS);
    CodeEntry header = CodeEntry.decode(signed).entry();
    Buffer swapped = Buffer.buffer(greeter("swappd"));
    map.put("demo/Greeter.java", header.encode(swapped)).await(10, TimeUnit.SECONDS);
    announce(a, "demo", "Greeter.java");
    await("both nodes to refuse the swapped content", () -> reporters(rejected, "Greeter.java").size() == 2);
    map.put("demo/Greeter.java", new CodeEntry("demo", "Greeter.java", RealmFiles.sha256(swapped.getBytes()),
      swapped.length(), header.version() + 1, header.node(), header.mac()).encode(swapped)).await(10, TimeUnit.SECONDS);
    announce(a, "demo", "Greeter.java");
    await("both nodes to refuse the re-hashed entry", () -> rejected.stream()
      .filter(e -> e.getString("file").equals("Greeter.java")).count() == 4);

    for (String node : List.of("a", "b")) {
      Path dir = tmp.resolve(node + "/demo");
      assertFalse(Files.exists(dir.resolve("Raw.java")), node + " wrote the raw file");
      assertFalse(Files.exists(dir.resolve("Forged.java")), node + " wrote the forged file");
      assertEquals(greeter("pushed"), Files.readString(dir.resolve("Greeter.java")), node + " kept the signed content");
    }
    for (BeachNode node : List.of(a, b)) {
      BeachException e = assertInstanceOf(BeachException.class, assertThrows(RuntimeException.class, () -> node.beach()
        .deploy(ActorSpec.of("demo", "Forged", "f").setPlacement(Placement.nodeId(node.id()))).await(30, TimeUnit.SECONDS)));
      assertEquals(ErrorCode.NOT_FOUND, e.code(), e::toString);
    }
    assertEquals(1, (int) a.beach().restart("demo", "greet").await(30, TimeUnit.SECONDS));
    assertEquals("pushed", who(a), "a restart compiles what b holds: the signed content");
    JsonObject event = rejected.get(0);
    assertEquals("demo", event.getString("realm"));
    assertFalse(event.getString("reason").isEmpty());
  }

  private BeachNode node(String cluster, int port, List<String> seeds, String name) throws Exception {
    NodeOptions options = new NodeOptions().setCodeDir(tmp.resolve(name).toString()).setStatsIntervalMs(200)
      .setDirectorySyncMs(1000)
      .setCluster(new ClusterOptions().setName(cluster).setHost("127.0.0.1").setPort(port).setSeeds(seeds).setSecret(SECRET));
    BeachNode node = BeachNode.clustered(options).await(60, TimeUnit.SECONDS);
    nodes.add(node);
    return node;
  }

  /**
   * The notice a push sends. Sent from a node's bus here, so that the test is about the map, whatever the bus admits;
   * today any member may send it.
   */
  private static void announce(BeachNode node, String realm, String file) {
    node.vertx().eventBus().publish(Address.CODE_NOTICES, new JsonObject().put("realm", realm).put("file", file));
  }

  private static String who(BeachNode node) throws Exception {
    return node.beach().handle("demo", "greet").request("who", new JsonObject())
      .map(r -> ((JsonObject) r).getString("who")).await(20, TimeUnit.SECONDS);
  }

  private static Set<String> reporters(List<JsonObject> events, String file) {
    return events.stream().filter(e -> file.equals(e.getString("file"))).map(e -> e.getString("node"))
      .collect(Collectors.toSet());
  }

  private interface Check {
    boolean ok() throws Exception;
  }

  private static void await(String what, Check check) throws Exception {
    long deadline = System.currentTimeMillis() + 20_000;
    while (!check.ok()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
