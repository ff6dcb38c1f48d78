package dev.beach.bench;

import dev.beach.spi.ClusterSupport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Real {@code beach node} processes on 127.0.0.1 for the long-running scenarios ({@code chaos}, {@code soak}): free
 * Hazelcast ports, each node seeded to the others, a data directory of its own, one cluster secret, a gateway on a
 * free port each, and the realm {@value #REALM} holding {@code Worker.java} as their code. Everything lives in a
 * work folder that is kept (the node logs are evidence) and named in the output.
 */
final class LocalCluster implements AutoCloseable {

  static final String REALM = "chaos";
  static final String WORKER_CLASS = "Worker";
  private static final String HOST = "127.0.0.1";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(180);

  private final Path dir;
  private final List<NodeProcess> nodes = new ArrayList<>();

  private LocalCluster(Path dir) {
    this.dir = dir;
  }

  /** Starts {@code size} nodes at once and waits until every one is up. {@code heap} is each node's -Xmx. */
  static LocalCluster start(int size, String heap, Path dir) throws Exception {
    NodeProcess.requireLauncher();
    LocalCluster cluster = new LocalCluster(dir);
    try {
      Path code = dir.resolve("realms");
      Files.createDirectories(code.resolve(REALM));
      try (InputStream worker = LocalCluster.class.getResourceAsStream("realm/" + WORKER_CLASS + ".java")) {
        Files.copy(worker, code.resolve(REALM).resolve(WORKER_CLASS + ".java"));
      }
      String secret = HexFormat.of().formatHex(new SecureRandom().generateSeed(32));
      List<Integer> ports = new ArrayList<>();
      while (ports.size() < size) {
        int p = ClusterSupport.freePort(HOST);
        if (!ports.contains(p)) {
          ports.add(p);
        }
      }
      for (int i = 0; i < size; i++) {
        String name = "n" + (i + 1);
        List<String> seeds = new ArrayList<>();
        for (int j = 0; j < size; j++) {
          if (j != i) {
            seeds.add(HOST + ":" + ports.get(j));
          }
        }
        List<String> args = new ArrayList<>(List.of("--host", HOST, "--port", Integer.toString(ports.get(i)),
          "--gateway-port", "0", "--code", code.toString(), "--no-deploy", "--tags", name));
        if (!seeds.isEmpty()) {
          args.addAll(List.of("--seeds", String.join(",", seeds)));
        }
        Map<String, String> env = new HashMap<>();
        env.put("BEACH_CLUSTER_SECRET", secret);
        env.put("BEACH_NODE_DATA_DIR", Files.createDirectories(dir.resolve(name).resolve("data")).toString());
        env.put("BEACH_HOME", dir.resolve(name).resolve("home").toString());
        cluster.nodes.add(new NodeProcess(name, heap, args, env, dir.resolve(name + ".log")));
      }
      for (NodeProcess n : cluster.nodes) {
        n.start();
      }
      for (NodeProcess n : cluster.nodes) {
        n.awaitUp(START_TIMEOUT);
      }
      return cluster;
    } catch (Exception e) {
      cluster.close();
      throw e;
    }
  }

  /** (Re)starts a node that was killed and waits until it is up. */
  void restart(NodeProcess node) throws IOException, InterruptedException {
    node.start();
    node.awaitUp(START_TIMEOUT);
  }

  List<NodeProcess> nodes() {
    return nodes;
  }

  Path dir() {
    return dir;
  }

  /** The gateway of a node that is up and not frozen right now, chosen at random; null when there is none. */
  NodeProcess anyServing() {
    List<NodeProcess> serving = new ArrayList<>();
    for (NodeProcess n : nodes) {
      if (n.alive() && !n.frozen() && n.gatewayUrl() != null) {
        serving.add(n);
      }
    }
    return serving.isEmpty() ? null : serving.get(ThreadLocalRandom.current().nextInt(serving.size()));
  }

  /** Stops every node (SIGTERM, then SIGKILL), the last started first. */
  @Override
  public void close() {
    for (int i = nodes.size() - 1; i >= 0; i--) {
      nodes.get(i).close();
    }
  }
}
