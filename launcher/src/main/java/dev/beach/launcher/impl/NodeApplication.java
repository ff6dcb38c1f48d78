package dev.beach.launcher.impl;

import dev.beach.BeachNode;
import dev.beach.ClusterOptions;
import dev.beach.NodeOptions;
import dev.beach.spi.ClusterSupport;
import io.vertx.core.Context;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.core.spi.cluster.NodeInfo;
import io.vertx.launcher.application.HookContext;
import io.vertx.launcher.application.VertxApplication;
import io.vertx.launcher.application.VertxApplicationHooks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * {@code beach node} on vertx-launcher-application: the launcher parses its own Vert.x flags ({@code --cluster}),
 * runs the hooks below, and deploys {@link NodeVerticle}. The hooks put Beach's Hazelcast cluster manager (built in
 * code from {@code cluster:}) into the Vert.x builder, start the node, and stop it before Vert.x goes down.
 * <p>
 * Shutdown order matters: the node drains and stops its actors while the event bus still works, and only then does
 * Vert.x undeploy what is left and leave the Hazelcast cluster. {@link #shutdown} (signals) does exactly that; the
 * {@link #beforeStoppingVertx} hook does the same when something else closes Vert.x (the JVM's shutdown hook).
 */
public final class NodeApplication extends VertxApplication implements VertxApplicationHooks {

  private static final Logger log = LoggerFactory.getLogger("dev.beach.launcher.Node");
  private static final long CLOSE_MARGIN_MS = 15_000;

  private final LauncherConfig config;
  private final NodeOptions nodeOptions;
  private final GatewayStarter gateway;
  private final CompletableFuture<Integer> terminated = new CompletableFuture<>();
  private final AtomicBoolean shuttingDown = new AtomicBoolean();

  private volatile ClusterManager clusterManager;
  private volatile Vertx vertx;
  private volatile Future<BeachNode> nodeStart;
  private Future<Void> closing;
  private boolean launched;
  private volatile String pendingStop;
  /** The OpenTelemetry SDK when tracing is on: flushed and closed after the node. */
  private volatile io.opentelemetry.sdk.OpenTelemetrySdk tracing;

  /**
   * @param applyDeployList whether the node applies the configuration's {@code deploy} list at start (off for
   *                        {@code --no-deploy} and the extra nodes of {@code beach fork}; applying it again would
   *                        change nothing, but they need not wait for it to be ready)
   * @throws ConfigException when the gateway section is invalid
   */
  public NodeApplication(LauncherConfig config, boolean applyDeployList) {
    super(new String[]{"--cluster"}, null, false, false);
    this.config = config;
    this.nodeOptions = config.nodeOptions();
    if (!applyDeployList) {
      nodeOptions.setDeployments(List.of());
    }
    this.gateway = config.gatewayEnabled() ? new GatewayStarter(config.gateway()) : null;
  }

  @Override
  public VertxBuilder createVertxBuilder(VertxOptions options) {
    ClusterOptions cluster = nodeOptions.getCluster();
    // Keep the launcher's options object (it applies -Dvertx.options.* to it after this hook) and give it Beach's
    // event-bus address.
    options.setEventBusOptions(ClusterSupport.vertxOptions(cluster).getEventBusOptions());
    ClusterManager manager = ClusterSupport.clusterManager(cluster);
    clusterManager = manager;
    VertxBuilder builder = Vertx.builder().with(options).withClusterManager(manager);
    if (gateway != null) {
      // /metrics reads Vert.x's own meters; they exist only when metrics are on when Vert.x is built.
      options.setMetricsOptions(dev.beach.gateway.GatewayMetrics.options());
      builder.withMetrics(dev.beach.gateway.GatewayMetrics.factory());
    }
    return builder;
  }

  @Override
  public void afterVertxStarted(HookContext context) {
    vertx = context.vertx();
    // Started from the launcher's thread, outside any verticle: actors deployed by the node must not become
    // children of the main verticle, or Vert.x would undeploy them before the node could drain them.
    if (nodeOptions.isTracingEnabled()) {
      tracing = TracingSdk.install(nodeOptions);
    }
    nodeStart = BeachNode.start(vertx, nodeOptions);
  }

  @Override
  public Supplier<? extends Deployable> verticleSupplier() {
    return () -> new NodeVerticle(this);
  }

  @Override
  public void afterFailureToStartVertx(HookContext context, Throwable t) {
    ClusterOptions c = nodeOptions.getCluster();
    System.err.println("beach: could not join cluster '" + c.getName() + "' on " + c.getHost() + ":" + c.getPort() + ": "
      + (t == null ? "timed out" : ConfigLoader.rootMessage(t))
      + " (is the port taken? pick another with --port or cluster.port)");
  }

  @Override
  public void afterFailureToDeployVerticle(HookContext context, Throwable t) {
    System.err.println("beach: the node did not start: " + (t == null ? "timed out" : ConfigLoader.rootMessage(t)));
    await(closeNode().eventually(() -> context.vertx().close()), nodeOptions.getDrainTimeoutMs() + CLOSE_MARGIN_MS);
  }

  @Override
  public void beforeStoppingVertx(HookContext context) {
    Future<Void> f = closeNode().eventually(() -> {
      if (tracing != null) {
        tracing.close();
      }
      return Future.succeededFuture();
    });
    if (!Context.isOnVertxThread()) {
      await(f, nodeOptions.getDrainTimeoutMs() + CLOSE_MARGIN_MS);
    }
  }

  /**
   * Gateway (its {@code /health/ready} answers 503 until the node is ready), then ready (the deploy list's
   * deployments run, or the node's bound on that wait passed), then the banner; runs on the main verticle's context.
   */
  Future<Void> startServices(Context context) {
    Future<BeachNode> node = Future.fromCompletionStage(nodeStart.toCompletionStage(), context);
    return node
      .compose(n -> gateway == null ? Future.succeededFuture(n) : gateway.start(n).map(n))
      .compose(n -> Future.fromCompletionStage(n.awaitReady().toCompletionStage(), context).map(n))
      .onSuccess(this::banner)
      .onSuccess(this::exitWhenClosedElsewhere)
      .mapEmpty();
  }

  /**
   * A node closed from elsewhere ({@code beach shutdown}, {@code POST /v1/admin/shutdown}) must not leave a JVM
   * behind that is still in the Hazelcast cluster: close Vert.x and exit as on SIGTERM.
   */
  private void exitWhenClosedElsewhere(BeachNode node) {
    node.closeFuture().onComplete(ar -> shutdown("node " + node.id() + " was shut down"));
  }

  private void banner(BeachNode node) {
    ClusterOptions c = nodeOptions.getCluster();
    ClusterManager manager = clusterManager;
    int size = manager.getNodes().size();
    NodeInfo eb = manager.getNodeInfo();
    List<Integer> links = node.linkPorts();
    log.info("node {} up: cluster '{}' ({} node{}), hazelcast {}:{}, event bus {}:{}, links {}, gateway {}, code {}{}, config {}",
      node.id(), c.getName(), size, size == 1 ? "" : "s", c.getHost(), c.getPort(),
      eb == null ? "?" : eb.host(), eb == null ? "?" : eb.port(),
      links.isEmpty() ? "off" : c.getHost() + ":" + links.stream().map(String::valueOf).collect(Collectors.joining(",")),
      gateway == null ? "off" : gateway.url(), nodeOptions.getCodeDir(),
      nodeOptions.getBaseCodeDir() == null ? "" : " over " + nodeOptions.getBaseCodeDir(), config.source());
  }

  /** Stops the gateway, then drains and closes the node; the same future for every caller. */
  synchronized Future<Void> closeNode() {
    if (closing == null) {
      Future<BeachNode> started = nodeStart;
      Future<Void> gw = gateway == null ? Future.succeededFuture() : gateway.close().recover(e -> Future.succeededFuture());
      closing = started == null ? gw : gw.transform(v -> started.transform(ar -> {
        if (ar.failed()) {
          return Future.succeededFuture();
        }
        String id = ar.result().id();
        return ar.result().close().onSuccess(x -> log.info("node {} left the cluster", id));
      }));
    }
    return closing;
  }

  /** Drains, leaves the cluster and closes Vert.x, then lets {@link #awaitTermination} return. */
  public void shutdown(String reason) {
    if (!shuttingDown.compareAndSet(false, true)) {
      return;
    }
    Thread t = new Thread(() -> {
      log.info("{}: draining and leaving the cluster", reason);
      int code = 0;
      try {
        awaitOrThrow(closeNode(), nodeOptions.getDrainTimeoutMs() + CLOSE_MARGIN_MS);
      } catch (Exception e) {
        System.err.println("beach: the node did not close cleanly: " + ConfigLoader.rootMessage(e));
        code = 1;
      }
      try {
        Vertx v = vertx;
        if (v != null) {
          awaitOrThrow(v.close(), CLOSE_MARGIN_MS * 2);
        }
      } catch (Exception e) {
        System.err.println("beach: Vert.x did not close cleanly: " + ConfigLoader.rootMessage(e));
        code = 1;
      }
      terminated.complete(code);
    }, "beach-shutdown");
    t.start();
  }

  /**
   * SIGTERM and SIGINT start {@link #shutdown}; a second SIGINT (Ctrl-C twice) exits at once. A second SIGTERM is
   * ignored: {@code beach fork} sends one while the terminal's Ctrl-C already reached the node. Call before
   * {@link #launch()}: a signal that arrives while the node is starting is acted on once it has started.
   */
  public void trapSignals() {
    Signals.trap("TERM", () -> requestStop("SIGTERM"));
    Signals.trap("INT", () -> {
      if (shuttingDown.get() || pendingStop != null) {
        System.err.println("beach: second Ctrl-C, exiting without draining");
        Runtime.getRuntime().halt(130);
      }
      requestStop("Ctrl-C");
    });
  }

  private synchronized void requestStop(String reason) {
    if (launched) {
      shutdown(reason);
    } else if (pendingStop == null) {
      pendingStop = reason;
      System.err.println("beach: " + reason + ": stopping as soon as the node has started (Ctrl-C again exits now)");
    }
  }

  /** Starts Vert.x, the node and its services; 0 when the node runs. A stop requested meanwhile starts now. */
  public int start() {
    int code = launch();
    synchronized (this) {
      launched = true;
      if (code == 0 && pendingStop != null) {
        shutdown(pendingStop);
      }
    }
    return code;
  }

  /** Shuts down when process {@code pid} exits, so nodes started by {@code beach fork} or tests never outlive it. */
  public void exitWithParent(long pid) {
    ProcessHandle.of(pid).ifPresentOrElse(
      parent -> parent.onExit().thenRun(() -> shutdown("parent process " + pid + " exited")),
      () -> shutdown("parent process " + pid + " is gone"));
  }

  /** Blocks until {@link #shutdown} finished; the process exit code. */
  public int awaitTermination() {
    try {
      return terminated.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    } catch (ExecutionException e) {
      return 1;
    }
  }

  private static void await(Future<?> f, long timeoutMs) {
    try {
      awaitOrThrow(f, timeoutMs);
    } catch (Exception e) {
      log.warn("while stopping: {}", ConfigLoader.rootMessage(e));
    }
  }

  private static void awaitOrThrow(Future<?> f, long timeoutMs) throws InterruptedException, ExecutionException, TimeoutException {
    f.toCompletionStage().toCompletableFuture().get(timeoutMs, TimeUnit.MILLISECONDS);
  }
}
