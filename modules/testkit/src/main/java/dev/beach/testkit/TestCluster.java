package dev.beach.testkit;

import com.hazelcast.core.HazelcastInstance;
import dev.beach.Beach;
import dev.beach.BeachNode;
import dev.beach.ClusterOptions;
import dev.beach.NodeOptions;
import dev.beach.spi.ClusterSupport;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * N Beach nodes in this JVM on 127.0.0.1, seeded to each other on free ports. Nodes can be stopped
 * gracefully ({@link #stop}) or crashed ({@link #crash}: Hazelcast terminated without leaving, the way a
 * killed process disappears) to test failure handling.
 */
public final class TestCluster implements AutoCloseable {

  public static final String HOST = "127.0.0.1";

  private final List<BeachNode> nodes = new ArrayList<>();
  private final List<Integer> ports = new ArrayList<>();
  private final boolean clustered;
  private BiFunction<Integer, NodeOptions, NodeOptions> tune = (i, o) -> o;

  private TestCluster(boolean clustered) {
    this.clustered = clustered;
  }

  /** Starts {@code n} nodes; {@code tags.get(i)} are node i's tags. */
  public static TestCluster start(int n, boolean clustered, List<List<String>> tags) {
    return start(n, clustered, tags, (i, o) -> o);
  }

  /** Starts {@code n} clustered nodes whose options {@code tune} may change (node index, options): a data dir, say. */
  public static TestCluster start(int n, BiFunction<Integer, NodeOptions, NodeOptions> tune) {
    List<List<String>> tags = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      tags.add(List.of());
    }
    return start(n, true, tags, tune);
  }

  private static TestCluster start(int n, boolean clustered, List<List<String>> tags,
                                   BiFunction<Integer, NodeOptions, NodeOptions> tune) {
    TestCluster cluster = new TestCluster(clustered);
    cluster.tune = tune;
    try {
      if (!clustered) {
        if (n != 1) {
          throw new IllegalArgumentException("a non-clustered test cluster has exactly one node");
        }
        cluster.nodes.add(Await.result(BeachNode.start(Vertx.vertx(), tune.apply(0, options(0, List.of(), tags.get(0))))));
        return cluster;
      }
      for (int i = 0; i < n; i++) {
        cluster.ports.add(ClusterSupport.freePort());
      }
      List<String> seeds = cluster.ports.stream().map(p -> HOST + ":" + p).collect(Collectors.toList());
      // The first node forms the cluster; the others join it together.
      cluster.nodes.add(Await.result(BeachNode.clustered(tune.apply(0, options(cluster.ports.get(0), seeds, tags.get(0))))));
      List<Future<BeachNode>> rest = new ArrayList<>();
      for (int i = 1; i < n; i++) {
        rest.add(BeachNode.clustered(tune.apply(i, options(cluster.ports.get(i), seeds, tags.get(i)))));
      }
      for (Future<BeachNode> f : rest) {
        cluster.nodes.add(Await.result(f, Duration.ofSeconds(60)));
      }
      cluster.awaitMembers(n);
      return cluster;
    } catch (RuntimeException | Error e) {
      cluster.close();
      throw e;
    }
  }

  public static TestCluster start(int n) {
    List<List<String>> tags = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      tags.add(List.of());
    }
    return start(n, true, tags);
  }

  static NodeOptions options(int port, List<String> seeds, List<String> tags) {
    return new NodeOptions()
      .setCluster(new ClusterOptions().setHost(HOST).setPort(port).setSeeds(seeds))
      .setTags(tags)
      .setStatsIntervalMs(200)
      .setDirectorySyncMs(1000);
  }

  /** Waits until every node sees {@code n} live nodes with statistics. */
  public void awaitMembers(int n) {
    for (BeachNode node : nodes) {
      Await.until("node " + node.id() + " to see " + n + " nodes", Duration.ofSeconds(30),
        () -> Await.result(node.beach().nodes()).stream().filter(i -> i.startedAt() > 0).count() == n);
    }
  }

  /**
   * Waits until Hazelcast has every partition's backups in place (its "cluster safe" state), as seen from
   * {@code node}. Killing a member before that can lose map entries for good (Hazelcast logs "partition ... is
   * completely lost"): a failure test that kills several nodes in a row waits for it between kills, as an operator
   * killing nodes one after another would.
   */
  public void awaitSafe(BeachNode node) {
    HazelcastInstance hz = ((HazelcastClusterManager) ((VertxInternal) node.vertx()).clusterManager())
      .getHazelcastInstance();
    Await.until("the cluster to be safe (backups in place)", Duration.ofSeconds(60),
      () -> hz.getPartitionService().isClusterSafe());
  }

  /** Waits until each of {@code nodes} sees exactly them (with statistics): after crashes and joins. */
  public void awaitMembersOf(List<BeachNode> nodes) {
    for (BeachNode node : nodes) {
      Await.until("node " + node.id() + " to see " + nodes.size() + " nodes", Duration.ofSeconds(30),
        () -> Await.result(node.beach().nodes()).stream().filter(i -> i.startedAt() > 0).count() == nodes.size());
    }
  }

  /**
   * Starts one more node, seeded to every node started so far; it counts in {@link #size()} and is closed with the
   * cluster.
   */
  public BeachNode join(List<String> tags) {
    // Every node started so far is a seed (the first ones may have been crashed), and this one is for later joiners.
    int port = ClusterSupport.freePort();
    ports.add(port);
    List<String> seeds = ports.stream().map(p -> HOST + ":" + p).collect(Collectors.toList());
    BeachNode node = Await.result(BeachNode.clustered(tune.apply(nodes.size(), options(port, seeds, tags))),
      Duration.ofSeconds(60));
    nodes.add(node);
    return node;
  }

  public int size() {
    return nodes.size();
  }

  public BeachNode node(int i) {
    return nodes.get(i);
  }

  public Beach beach(int i) {
    return nodes.get(i).beach();
  }

  public List<BeachNode> nodes() {
    return List.copyOf(nodes);
  }

  /** Graceful stop: drains, leaves the cluster, closes its Vert.x. */
  public void stop(int i) {
    Await.result(nodes.get(i).close());
  }

  /**
   * Crash: terminates the node's Hazelcast member without a goodbye, then closes what is left of its Vert.x.
   * The others notice through missed heartbeats and the dropped connection, as with {@code kill -9}.
   */
  public void crash(int i) {
    BeachNode node = nodes.get(i);
    HazelcastClusterManager cm = (HazelcastClusterManager) ((VertxInternal) node.vertx()).clusterManager();
    HazelcastInstance hz = cm.getHazelcastInstance();
    hz.getLifecycleService().terminate();
    node.vertx().close();
  }

  public boolean clustered() {
    return clustered;
  }

  @Override
  public void close() {
    for (BeachNode node : nodes) {
      try {
        Await.result(node.close(), Duration.ofSeconds(30));
      } catch (RuntimeException | AssertionError ignored) {
        // already crashed or stopped
      }
      if (!clustered) {
        node.vertx().close();
      }
    }
  }
}
