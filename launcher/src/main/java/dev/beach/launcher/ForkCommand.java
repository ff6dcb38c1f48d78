package dev.beach.launcher;

import dev.beach.NodeOptions;
import dev.beach.launcher.impl.ForkedNode;
import dev.beach.launcher.impl.LauncherConfig;
import dev.beach.launcher.impl.Ports;
import dev.beach.launcher.impl.Signals;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code beach fork N} (splice.io's fork): N local nodes in separate JVMs, on free ports, seeded to each other,
 * for development. Ctrl-C or SIGTERM stops them all; each child also watches this process and stops when it is
 * gone, so even {@code kill -9} of the parent leaves no orphan.
 */
@Command(name = "fork", mixinStandardHelpOptions = true, sortOptions = false,
  description = "Starts N local nodes (separate JVMs seeded to each other) and stops them all on Ctrl-C.")
public final class ForkCommand implements java.util.concurrent.Callable<Integer> {

  static final int MAX_NODES = 16;

  @Parameters(index = "0", paramLabel = "N", description = "how many nodes (1.." + MAX_NODES + ")")
  int count;

  @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "cluster.yaml every node reads (ports and seeds are set by fork)")
  Path config;

  @Option(names = "--code", paramLabel = "DIR", description = "realm code directory for every node")
  Path code;

  @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1", description = "address the nodes bind (default ${DEFAULT-VALUE})")
  String host;

  @Option(names = "--gateway-port", paramLabel = "PORT",
    description = "the first node's gateway port (default 8080, or the next free one)")
  Integer gatewayPort;

  @Option(names = "--gateway-each", description = "give every node a gateway on its own free port (default: the first only)")
  boolean gatewayEach;

  @Option(names = "--no-deploy", description = "deploy nothing, not even on the first node")
  boolean noDeploy;

  @Option(names = "--startup-timeout", paramLabel = "SECONDS", defaultValue = "120", description = "how long to wait for every node to be up")
  int startupTimeoutSeconds;

  private final List<ForkedNode> nodes = new ArrayList<>();
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final CountDownLatch stopped = new CountDownLatch(1);

  @Override
  public Integer call() throws Exception {
    PrintStream out = System.out;
    if (count < 1 || count > MAX_NODES) {
      System.err.println("beach fork: N must be between 1 and " + MAX_NODES + ", got " + count);
      return 2;
    }
    Set<Integer> taken = new HashSet<>();
    List<Integer> ports = new ArrayList<>();
    while (ports.size() < count) {
      int p = Ports.anyFree(host);
      if (taken.add(p)) {
        ports.add(p);
      }
    }
    int firstGateway = gatewayPort != null ? gatewayPort : Ports.firstFree(host, LauncherConfig.DEFAULT_GATEWAY_PORT, 100);
    taken.add(firstGateway);

    Runtime.getRuntime().addShutdownHook(new Thread(this::stopAll, "beach-fork-stop"));
    Signals.trap("TERM", () -> new Thread(this::stopAll, "beach-fork-stop").start());
    Signals.trap("INT", () -> new Thread(this::stopAll, "beach-fork-stop").start());

    for (int i = 0; i < count; i++) {
      List<String> args = new ArrayList<>(List.of("node", "--host", host, "--port", Integer.toString(ports.get(i)),
        "--exit-with-parent", Long.toString(ProcessHandle.current().pid())));
      List<String> seeds = new ArrayList<>();
      for (int j = 0; j < count; j++) {
        if (j != i) {
          seeds.add(host + ":" + ports.get(j));
        }
      }
      if (!seeds.isEmpty()) {
        args.add("--seeds");
        args.add(String.join(",", seeds));
      }
      if (i == 0) {
        args.addAll(List.of("--gateway-port", Integer.toString(firstGateway)));
      } else if (gatewayEach) {
        int p;
        do {
          p = Ports.anyFree(host);
        } while (!taken.add(p));
        args.addAll(List.of("--gateway-port", Integer.toString(p)));
      } else {
        args.add("--no-gateway");
      }
      if (i > 0 || noDeploy) {
        args.add("--no-deploy");
      }
      if (config != null) {
        args.addAll(List.of("--config", config.toAbsolutePath().toString()));
      }
      if (code != null) {
        args.addAll(List.of("--code", code.toAbsolutePath().toString()));
      }
      synchronized (nodes) {
        if (stopping.get()) {
          break;
        }
        nodes.add(ForkedNode.start("n" + (i + 1), args, out));
      }
    }

    try {
      CompletableFuture.allOf(nodes.stream().map(ForkedNode::ready).toArray(CompletableFuture[]::new))
        .get(startupTimeoutSeconds, TimeUnit.SECONDS);
    } catch (Exception e) {
      boolean asked = stopping.get();
      if (!asked) {
        System.err.println("beach fork: not every node started: "
          + (e.getCause() != null ? e.getCause().getMessage() : "timed out after " + startupTimeoutSeconds + " s"));
      }
      stopAll();
      return asked ? 0 : 1;
    }
    out.println("beach fork: " + count + " node" + (count == 1 ? "" : "s") + " up; Ctrl-C stops them all");
    for (ForkedNode n : nodes) {
      out.println("  " + n.name() + "  pid " + n.pid() + "  node " + n.nodeId() + "  gateway " + n.gatewayUrl());
    }
    out.flush();
    // Runs until a signal stops everything, or until every node has exited on its own (e.g. an admin shutdown).
    CompletableFuture.allOf(nodes.stream().map(ForkedNode::onExit).toArray(CompletableFuture[]::new))
      .thenRun(stopped::countDown);
    stopped.await();
    stopAll();
    return 0;
  }

  /** SIGTERM to every node, then waits for each (killing one that does not stop in time). Idempotent. */
  void stopAll() {
    List<ForkedNode> snapshot;
    synchronized (nodes) {
      boolean first = stopping.compareAndSet(false, true);
      snapshot = new ArrayList<>(nodes);
      if (!first) {
        waitFor(snapshot);
        return;
      }
    }
    for (ForkedNode n : snapshot) {
      n.requestStop();
    }
    waitFor(snapshot);
    stopped.countDown();
  }

  private static void waitFor(List<ForkedNode> snapshot) {
    long budget = NodeOptions.DEFAULT_DRAIN_TIMEOUT_MS + 30_000;
    for (ForkedNode n : snapshot) {
      try {
        n.awaitStop(budget);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
