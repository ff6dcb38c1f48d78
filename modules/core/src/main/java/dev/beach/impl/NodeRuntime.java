package dev.beach.impl;

import dev.beach.Address;
import dev.beach.Beach;
import dev.beach.BeachException;
import dev.beach.BeachNode;
import dev.beach.NodeInfo;
import dev.beach.NodeOptions;
import dev.beach.Readiness;
import dev.beach.control.NodeServiceVertxProxyHandler;
import dev.beach.impl.code.CodeStore;
import dev.beach.impl.directory.Directory;
import dev.beach.impl.trace.NodeTracers;
import dev.beach.impl.transport.Envelope;
import dev.beach.impl.transport.NodeLinks;
import dev.beach.spi.ActorFactory;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.cluster.ClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.UUID;

/**
 * One Beach node's lifecycle: starts its parts in order and stops them in reverse. Which parts there are and who
 * talks to whom is {@link NodeParts}; what each part does lives in its own package (see modules/core/README.md):
 * {@code transport} carries requests between nodes, {@code hosting} runs local actors, {@code directory} knows
 * the cluster, {@code stream} carries streamed replies, {@code client} is the caller side, {@code control} the
 * control plane, {@code deploy} desired state, {@code code} realm code.
 */
public final class NodeRuntime implements BeachNode, NodeParts.Lifecycle {

  private static final Logger LOG = LoggerFactory.getLogger(NodeRuntime.class);

  private final VertxInternal vertx;
  private final NodeOptions options;
  private final boolean ownsVertx;
  private final NodeParts parts;
  /** Signs and checks replicated code; null without a cluster secret. */
  private final String codeSecret;

  private MessageConsumer<Object> endpoint;
  private final Promise<Void> closed = Promise.promise();
  private volatile boolean closing;

  private NodeRuntime(Vertx vertx, NodeOptions options, ActorFactory factory, boolean ownsVertx) {
    this.vertx = (VertxInternal) vertx;
    this.options = new NodeOptions(options).validate();
    this.ownsVertx = ownsVertx;
    this.codeSecret = this.options.getCluster().resolveSecret();
    ClusterManager cm = this.vertx.clusterManager();
    String id = cm != null ? cm.getNodeId() : UUID.randomUUID().toString();
    this.parts = new NodeParts(this.vertx, this.options, factory, id, this, () -> closing);
  }

  /** Builds a node on {@code vertx} and starts it on its own context; {@link Nodes} is the way in. */
  static Future<BeachNode> start(Vertx vertx, NodeOptions options, ActorFactory factory, boolean ownsVertx) {
    NodeRuntime node;
    try {
      node = new NodeRuntime(vertx, options == null ? new NodeOptions() : options, factory, ownsVertx);
    } catch (BeachException e) {
      return Future.failedFuture(e);
    }
    Promise<BeachNode> promise = node.parts.context.promise();
    node.parts.context.runOnContext(v -> node.doStart().map((BeachNode) node).onComplete(promise));
    return promise.future();
  }

  /**
   * Addresses first (the node's, its lanes', the events'), then node links, statistics, membership, which pulls
   * every peer's actor list ("started" means requests from here find what is already deployed), and last desired
   * state, which may start actors here.
   */
  private Future<Void> doStart() {
    NodeParts p = parts;
    try {
      vertx.eventBus().registerDefaultCodec(Envelope.class, new Envelope.Codec());
    } catch (IllegalStateException alreadyRegistered) {
      // a second node on the same Vert.x: the codec is shared
    }
    NodeEndpoint inbound = new NodeEndpoint(new NodeServiceVertxProxyHandler(vertx, p.service, true, -1, false),
      p.coalescer, p.streams, p.routes);
    endpoint = vertx.eventBus().consumer(Address.node(p.id), inbound::handle);
    p.codeStore = CodeStore.start(vertx, p.codeHome.path(), p.baseCodeDir, p.id, codeSecret,
      r -> p.events.codeRejected(r.realm(), r.file(), r.from(), r.reason()));
    return Future.all(endpoint.completion(), p.events.start(), p.codeStore,
        p.lanes.start(inbound::handle).compose(v -> p.links.start(p.context, p.coalescer)))
      .compose(v -> p.stats.start())
      .compose(v -> p.membership.start())
      .compose(v -> p.desired.start())
      .onSuccess(v -> {
        logSecurityPosture();
        p.events.nodeJoined(info());
        LOG.info("beach node {} started (host {}, tags {}, {} node(s) in view)", p.id, options.getDisplayHost(),
          options.getTags(), p.membership.liveNodes().size());
      })
      .mapEmpty();
  }

  private void logSecurityPosture() {
    if (options.getCluster().isInsecure()) {
      LOG.warn("INSECURE: cluster.insecure is true: whoever reaches {} on this node's ports can join the cluster,"
        + " send requests as anyone and run code; set a cluster secret or eventBus.tls", options.getCluster().getHost());
    }
    if (!options.getTrustedRealms().isEmpty()) {
      LOG.info("trusted realms {}: their actors may act in every realm (node.trustedRealms)",
        options.getTrustedRealms());
    }
  }

  /** Hands this node's supervised actors over to other nodes first, then drains the rest. */
  @Override
  public Future<Void> drain() {
    return parts.desired.handOff().compose(v -> parts.actors.drain());
  }

  /** Drains, then stops everything in the reverse order of {@link #doStart()}; closes Vert.x when it is ours. */
  @Override
  public Future<Void> close() {
    if (closing) {
      return closed.future();
    }
    closing = true;
    NodeParts p = parts;
    drain()
      .recover(t -> Future.succeededFuture())
      .compose(v -> p.desired.stop().recover(t -> Future.succeededFuture()))
      .compose(v -> p.events.flush())
      .compose(v -> p.stats.stop())
      .compose(v -> p.membership.stop())
      .compose(v -> endpoint == null ? Future.succeededFuture() : endpoint.unregister())
      .compose(v -> p.lanes.close())
      .compose(v -> p.events.stop())
      .compose(v -> p.links.close())
      .compose(v -> p.routes.close())
      .eventually(() -> p.codeStore == null ? Future.succeededFuture()
        : p.codeStore.compose(CodeStore::close).recover(t -> Future.succeededFuture()))
      .eventually(() -> {
        p.streams.close();
        p.coalescer.close();
        p.deadlines.close();
        p.factory.close();
        p.codeHome.close();
        return ownsVertx ? vertx.close() : Future.succeededFuture();
      })
      .onComplete(ar -> {
        NodeTracers.remove(p.id);
        LOG.info("beach node {} stopped", p.id);
        closed.tryComplete();
      });
    return closed.future();
  }

  @Override
  public Future<Void> closeFuture() {
    return closed.future();
  }

  @Override
  public String id() {
    return parts.id;
  }

  @Override
  public Vertx vertx() {
    return vertx;
  }

  @Override
  public Beach beach() {
    return parts.publicClient;
  }

  @Override
  public NodeOptions options() {
    return options;
  }

  @Override
  public NodeInfo info() {
    return NodeInfo.fromJson(parts.stats.sample());
  }

  @Override
  public List<Integer> linkPorts() {
    return parts.links.ports();
  }

  @Override
  public Readiness readiness() {
    return parts.desired.readiness();
  }

  @Override
  public Future<Readiness> awaitReady() {
    return parts.desired.awaitReady();
  }

  @Override
  public String toString() {
    return "node " + parts.id;
  }

  // ------------------------------------------------------------------ for tests in this package

  /** Stops (or resumes) serving the control plane: tests play a hung node with it. */
  void pauseControl(boolean paused) {
    if (paused) {
      endpoint.pause();
    } else {
      endpoint.resume();
    }
  }

  /** This node's directory (tests check how it heals). */
  Directory directory() {
    return parts.directory;
  }

  /** This node's links (tests count and break them). */
  NodeLinks links() {
    return parts.links;
  }
}
