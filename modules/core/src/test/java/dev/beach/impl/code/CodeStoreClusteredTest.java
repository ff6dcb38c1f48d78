package dev.beach.impl.code;

import dev.beach.ClusterOptions;
import dev.beach.impl.cluster.HazelcastSupport;
import dev.beach.spi.ClusterSupport;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The store over a real two-member Hazelcast cluster: a shared filesystem is not needed. */
class CodeStoreClusteredTest {

  @TempDir
  Path tmp;
  private final List<Vertx> nodes = new ArrayList<>();

  @AfterEach
  void stopNodes() throws Exception {
    for (Vertx vertx : nodes) {
      vertx.close().await(20, TimeUnit.SECONDS);
    }
  }

  @Test
  void codePushedOnOneNodeReachesANodeThatJoinsLaterAndBack() throws Exception {
    int portA = ClusterSupport.freePort();
    int portB = ClusterSupport.freePort();
    String cluster = "code-" + System.nanoTime();
    Vertx a = node(new ClusterOptions().setName(cluster).setPort(portA).addSeed("127.0.0.1:" + portB));
    CodeStore storeA = CodeStore.start(a, tmp.resolve("a")).await(10, TimeUnit.SECONDS);
    String echo = Fixtures.actor(null, "Echo", "clustered");
    storeA.push("demo", "Echo.java", Buffer.buffer(echo)).await(10, TimeUnit.SECONDS);

    Vertx b = node(new ClusterOptions().setName(cluster).setPort(portB).addSeed("127.0.0.1:" + portA));
    CodeStore storeB = CodeStore.start(b, tmp.resolve("b")).await(10, TimeUnit.SECONDS);
    assertEquals(echo, Files.readString(tmp.resolve("b/demo/Echo.java")), "a joining node copies what was pushed before");

    String other = Fixtures.actor(null, "Other", "from b");
    storeB.push("demo", "Other.java", Buffer.buffer(other)).await(10, TimeUnit.SECONDS);
    Path copy = tmp.resolve("a/demo/Other.java");
    long deadline = System.currentTimeMillis() + 10_000;
    while (!Files.exists(copy) && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(other, Files.readString(copy), "a push reaches nodes already running");
    // Unregistering is a Hazelcast map operation; right after a member joined, partition migration can hold it
    // for seconds on a busy machine. The test is about replication, not about how fast a cluster shuts down.
    storeA.close().await(30, TimeUnit.SECONDS);
    storeB.close().await(30, TimeUnit.SECONDS);
  }

  private Vertx node(ClusterOptions options) throws Exception {
    Future<Vertx> started = Vertx.builder()
      .with(HazelcastSupport.vertxOptions(options))
      .withClusterManager(HazelcastSupport.clusterManager(options))
      .buildClustered();
    Vertx vertx = started.await(30, TimeUnit.SECONDS);
    nodes.add(vertx);
    return vertx;
  }
}
