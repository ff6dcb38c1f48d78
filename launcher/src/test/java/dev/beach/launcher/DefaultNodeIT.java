package dev.beach.launcher;

import dev.beach.launcher.impl.SampleRealms;
import dev.beach.spi.ClusterSupport;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code bin/beach node} with the embedded default, for real: the sample realms run as deployments applied at start,
 * {@code /health/ready} answers 200 only once they are listed (503 before, saying what it waits for), and code pushed
 * to it lands under its data directory, never in the checkout's samples/realms, and is still served after a restart.
 */
class DefaultNodeIT {

  private static final String HOST = "127.0.0.1";
  private static final Duration START = Duration.ofSeconds(90);

  @TempDir
  Path dir;
  private BeachProcess node;

  @AfterEach
  void stop() {
    if (node != null) {
      node.close();
    }
  }

  private BeachProcess start(String name, int hazelcast, int gateway) throws IOException {
    // No --config: the embedded default, as `bin/beach node` runs it. BEACH_HOME is the test's (BeachProcess).
    return BeachProcess.node(name, dir, "--port", Integer.toString(hazelcast), "--gateway-port", Integer.toString(gateway));
  }

  /** Every file under samples/realms with its SHA-256: the working tree a push must not touch. */
  private static Map<String, String> tree(Path root) throws Exception {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        out.put(root.relativize(f).toString(), HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f))));
      }
    }
    return out;
  }

  /** Polls /health/ready from before the gateway listens until the first 200; returns the 503 bodies seen. */
  private static List<String> untilReady(String base, BeachProcess p) throws Exception {
    List<String> notReady = new ArrayList<>();
    long end = System.nanoTime() + START.toNanos();
    while (System.nanoTime() < end) {
      if (!p.alive()) {
        fail("the node exited:\n" + p.output());
      }
      try {
        Http.Reply r = Http.get(base + "/health/ready");
        if (r.status() == 200) {
          return notReady;
        }
        assertEquals(503, r.status(), r.body());
        notReady.add(r.body());
      } catch (ConnectException e) {
        // the gateway does not listen yet
      }
      Thread.sleep(20);
    }
    throw new AssertionError("never ready; 503s: " + notReady.size() + ", last " + (notReady.isEmpty() ? "-"
      : notReady.get(notReady.size() - 1)) + "\n" + p.output());
  }

  private static Map<String, Integer> categories(String base, String realm) throws Exception {
    Map<String, Integer> out = new TreeMap<>();
    Http.Reply r = Http.get(base + "/v1/realms/" + realm + "/actors");
    assertEquals(200, r.status(), r.body());
    for (Object o : new JsonArray(r.body())) {
      JsonObject a = (JsonObject) o;
      out.merge(a.getJsonArray("categories").getString(0) + "@" + a.getString("deployment"), 1, Integer::sum);
    }
    return out;
  }

  @Test
  void theSamplesRunAsDeploymentsReadyMeansListedAndPushedCodeStaysOutOfTheCheckout() throws Exception {
    Path samples = SampleRealms.repositorySamples();
    Map<String, String> before = tree(samples);
    int hazelcast = ClusterSupport.freePort(HOST);
    int gatewayPort = ClusterSupport.freePort(HOST);
    String base = "http://" + HOST + ":" + gatewayPort;

    node = start("default", hazelcast, gatewayPort);
    List<String> waiting = untilReady(base, node);
    // The first 200: the sample actors are listed now, not a moment later (no 503-free gap for a load balancer).
    Map<String, Integer> global = categories(base, "global");
    assertEquals(Map.of("echo@global-echo", 2, "counter@global-counter", 1, "sleeper@global-sleeper", 1), global);
    if (Files.exists(samples.resolve("project1/project1.jar"))) {
      assertEquals(Map.of("writer@project1-writer", 1, "compute@project1-compute", 2, "ingest@project1-ingest", 1),
        categories(base, "project1"));
    }
    assertFalse(waiting.isEmpty(), "the gateway listened before the samples ran, so it answered 503 first");
    assertTrue(waiting.get(0).contains("waitingFor") && waiting.get(0).contains("deployment global-"), waiting.get(0));
    JsonArray deployments = new JsonArray(Http.get(base + "/v1/deployments").body());
    assertTrue(deployments.encode().contains("\"global-echo\""), deployments.encode());
    node.awaitUp(Duration.ofSeconds(10));

    byte[] pushed = ("public class Pushed extends dev.beach.Actor {\n}\n").getBytes(StandardCharsets.UTF_8);
    Http.Reply put = Http.put(base + "/v1/realms/global/code/Pushed.java", pushed, "text/x-java");
    assertTrue(put.status() / 100 == 2, put.status() + " " + put.body());
    Path stored = dir.resolve("home").resolve("data").resolve("beach").resolve("realms").resolve("global").resolve("Pushed.java");
    assertTrue(Files.exists(stored), "pushed code goes under the data directory: " + stored);
    assertEquals(before, tree(samples), "the checkout's samples/realms is untouched");

    assertEquals(0, node.terminate(Duration.ofSeconds(60)), node.output());
    // Quiet by default: logback prints its own configuration status only when the configuration has a problem.
    assertFalse(node.output().contains("|-WARN in") || node.output().contains("|-INFO in ch.qos.logback"),
      "logback printed its configuration status:\n" + node.output());
    node = start("again", hazelcast, gatewayPort);
    untilReady(base, node);
    Http.Reply served = Http.get(base + "/v1/realms/global/code/Pushed.java");
    assertEquals(200, served.status(), served.body());
    assertEquals(new String(pushed, StandardCharsets.UTF_8), served.body(), "still served after a restart");
    String listing = Http.get(base + "/v1/realms/global/code").body();
    assertTrue(listing.contains("Pushed.java") && listing.contains("Echo.java"), listing);
    assertEquals(before, tree(samples));
  }
}
