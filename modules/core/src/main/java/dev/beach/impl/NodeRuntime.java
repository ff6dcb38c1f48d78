package dev.beach.impl;

import dev.beach.Address;
import dev.beach.Beach;
import dev.beach.BeachException;
import dev.beach.BeachNode;
import dev.beach.ErrorCode;
import dev.beach.NodeInfo;
import dev.beach.NodeOptions;
import dev.beach.control.NodeServiceVertxProxyHandler;
import dev.beach.impl.client.BeachClient;
import dev.beach.impl.client.CallerBoundBeach;
import dev.beach.impl.client.RealmScopedBeach;
import com.hazelcast.core.HazelcastInstance;
import dev.beach.impl.cluster.ClusterView;
import dev.beach.impl.cluster.HazelcastSupport;
import dev.beach.impl.code.CodeHome;
import dev.beach.impl.code.CodeStore;
import dev.beach.impl.code.RealmActorFactory;
import dev.beach.impl.control.ControlPlane;
import dev.beach.impl.control.NodeServiceImpl;
import dev.beach.impl.deploy.DesiredState;
import dev.beach.impl.deploy.ReconcilerDecisions;
import dev.beach.impl.directory.Directory;
import dev.beach.impl.directory.Events;
import dev.beach.impl.directory.Membership;
import dev.beach.impl.directory.NodeStats;
import dev.beach.impl.hosting.Cells;
import dev.beach.impl.hosting.LocalActors;
import dev.beach.impl.hosting.NodeLogs;
import dev.beach.impl.hosting.Routes;
import dev.beach.impl.stream.Streams;
import dev.beach.impl.trace.NodeTracers;
import dev.beach.impl.trace.OtelTracing;
import dev.beach.impl.trace.Tracing;
import dev.beach.impl.transport.Coalescer;
import dev.beach.impl.transport.Envelope;
import dev.beach.impl.transport.Lanes;
import dev.beach.impl.transport.NodeAddresses;
import dev.beach.impl.transport.NodeLinks;
import dev.beach.spi.ActorFactory;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.cluster.ClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * One Beach node: builds its parts, starts them in order and stops them in reverse. What each part does lives
 * in its own package (see modules/core/README.md): {@code transport} carries requests between nodes,
 * {@code hosting} runs local actors, {@code directory} knows the cluster, {@code stream} carries streamed
 * replies, {@code client} is the caller side, {@code control} the control plane, {@code code} realm code.
 */
public final class NodeRuntime implements BeachNode {

  private static final Logger LOG = LoggerFactory.getLogger(NodeRuntime.class);

  private final VertxInternal vertx;
  private final NodeOptions options;
  private final boolean ownsVertx;
  private final String id;
  private final ContextInternal context;
  private final ActorFactory factory;
  private final Path codeDir;
  private final CodeHome codeHome;
  /** Signs and checks replicated code; null without a cluster secret. */
  private final String codeSecret;

  private final Directory directory = new Directory();
  private final Lanes lanes;
  private final Streams streams;
  private final Routes routes;
  private final NodeLinks links;
  private final Coalescer coalescer;
  private final Membership membership;
  private final Events events;
  private final LocalActors actors;
  private final NodeStats stats;
  private final NodeServiceImpl service;
  private final DesiredState desired;
  private final Beach publicClient;

  private Future<CodeStore> codeStore;
  private MessageConsumer<Object> endpoint;
  private final Promise<Void> closed = Promise.promise();
  private volatile boolean closing;

  private NodeRuntime(Vertx vertx, NodeOptions options, ActorFactory factory, boolean ownsVertx) {
    this.vertx = (VertxInternal) vertx;
    this.options = new NodeOptions(options).validate();
    this.ownsVertx = ownsVertx;
    ClusterManager cm = this.vertx.clusterManager();
    this.id = cm != null ? cm.getNodeId() : UUID.randomUUID().toString();
    String shortId = id.replace("-", "").substring(0, 8);
    this.codeHome = CodeHome.of(this.options.getCodeDir(), shortId);
    this.codeDir = codeHome.path();
    this.factory = factory != null ? factory : new RealmActorFactory(codeDir);
    this.codeSecret = this.options.getCluster().resolveSecret();
    this.context = this.vertx.createEventLoopContext();
    long controlTimeoutMs = this.options.getControlTimeoutMs();

    NodeAddresses addresses = new NodeAddresses();
    Cells cells = new Cells();
    NodeLogs logs = new NodeLogs(id, cells, this.options);
    this.lanes = new Lanes(this.vertx, id);
    this.streams = new Streams(this.vertx, id);
    this.routes = new Routes(this.vertx, context, id, cells, streams);
    this.links = new NodeLinks(this.vertx, id, this.options.getCluster(), lanes, cm != null);
    this.coalescer = new Coalescer(this.vertx, id, links, addresses, routes);
    this.membership = new Membership(this.vertx, context, id, this.options.getDirectorySyncMs(), cm, directory,
      this::statsSample, peer -> ControlPlane.proxy(this.vertx, addresses.of(peer), controlTimeoutMs)
      .actors(null, null, false), links::onAdvert);
    this.events = new Events(this.vertx, context, id, directory, membership);
    // The SDK behind the API is whoever started the node's business (the launcher autoconfigures one from OTEL_*);
    // off, no span is started and nothing is allocated per request.
    Tracing tracing = Tracing.OFF;
    if (this.options.isTracingEnabled()) {
      OtelTracing otel = new OtelTracing(GlobalOpenTelemetry.get());
      NodeTracers.register(id, otel.tracer()); // the gateway's and the jobs' spans: spi.TraceSupport
      tracing = otel;
    }
    this.actors = new LocalActors(this.vertx, id, shortId, this.factory, cells, routes, directory, events, lanes,
      this::actorClient, this.options.getDrainTimeoutMs(), logs, tracing);
    this.stats = new NodeStats(this.vertx, context, id, this.options, System.currentTimeMillis(), cells::size,
      actors::ready, () -> directory.seq(id), links::advert);
    HazelcastInstance hz = HazelcastSupport.hazelcastOf(cm);
    this.service = new NodeServiceImpl(this.vertx, id, actors, cells, directory, () -> directory.seq(id), stats::sample,
      this::drain, this::close, logs, () -> ClusterView.of(hz, id));
    ControlPlane control = new ControlPlane(this.vertx, id, service, addresses, controlTimeoutMs,
      node -> membership.liveNodes().contains(node));
    this.desired = new DesiredState(this.vertx, context, id, hz,
      this.options.getDataDir() == null ? null : Path.of(this.options.getDataDir()).toAbsolutePath(), directory, actors,
      membership::nodeStats, control::of, ReconcilerDecisions.placements(id, directory::reach),
      this.options.getReconcileIntervalMs(), this.options.getDrainTimeoutMs());
    BeachClient client = new BeachClient(this.vertx, id, this.options.getRequestTimeoutMs(), directory, membership,
      control, cells, coalescer, streams, this::code, () -> closing, desired.deployments(), tracing);
    this.publicClient = new CallerBoundBeach(this.vertx, client);

    membership.onDeparture((node, actorsLost, reporter) -> {
      control.nodeLost(node);
      streams.nodeLost(node);
      links.nodeLost(node);
      coalescer.nodeLost(node);
      if (reporter) {
        events.nodeLeft(node, actorsLost);
      }
      desired.nodeLeft(node);
    });
  }

  /** Builds a node on {@code vertx} and starts it on its own context; {@link Nodes} is the way in. */
  static Future<BeachNode> start(Vertx vertx, NodeOptions options, ActorFactory factory, boolean ownsVertx) {
    NodeRuntime node;
    try {
      node = new NodeRuntime(vertx, options == null ? new NodeOptions() : options, factory, ownsVertx);
    } catch (BeachException e) {
      return Future.failedFuture(e);
    }
    Promise<BeachNode> promise = node.context.promise();
    node.context.runOnContext(v -> node.doStart().map((BeachNode) node).onComplete(promise));
    return promise.future();
  }

  /**
   * Addresses first (the node's, its lanes', the events'), then node links, statistics, and last membership,
   * which pulls every peer's actor list: "started" means requests from here find what is already deployed.
   */
  private Future<Void> doStart() {
    try {
      vertx.eventBus().registerDefaultCodec(Envelope.class, new Envelope.Codec());
    } catch (IllegalStateException alreadyRegistered) {
      // a second node on the same Vert.x: the codec is shared
    }
    NodeEndpoint inbound = new NodeEndpoint(new NodeServiceVertxProxyHandler(vertx, service, true, -1, false),
      coalescer, streams, routes);
    endpoint = vertx.eventBus().consumer(Address.node(id), inbound::handle);
    codeStore = CodeStore.start(vertx, codeDir, id, codeSecret,
      r -> events.codeRejected(r.realm(), r.file(), r.from(), r.reason()));
    return Future.all(endpoint.completion(), events.start(), codeStore,
        lanes.start(inbound::handle).compose(v -> links.start(context, coalescer)))
      .compose(v -> stats.start())
      .compose(v -> membership.start())
      .compose(v -> desired.start())
      .onSuccess(v -> {
        if (options.getCluster().isInsecure()) {
          LOG.warn("INSECURE: cluster.insecure is true: whoever reaches {} on this node's ports can join the cluster,"
            + " send requests as anyone and run code; set a cluster secret or eventBus.tls", options.getCluster().getHost());
        }
        if (!options.getTrustedRealms().isEmpty()) {
          LOG.info("trusted realms {}: their actors may act in every realm (node.trustedRealms)",
            options.getTrustedRealms());
        }
        events.nodeJoined(info());
        LOG.info("beach node {} started (host {}, tags {}, {} node(s) in view)", id, options.getDisplayHost(),
          options.getTags(), membership.liveNodes().size());
      })
      .mapEmpty();
  }

  // ------------------------------------------------------------------ BeachNode

  @Override
  public String id() {
    return id;
  }

  @Override
  public Vertx vertx() {
    return vertx;
  }

  @Override
  public Beach beach() {
    return publicClient;
  }

  @Override
  public NodeOptions options() {
    return options;
  }

  @Override
  public NodeInfo info() {
    return NodeInfo.fromJson(stats.sample());
  }

  @Override
  public List<Integer> linkPorts() {
    return links.ports();
  }

  /** Hands this node's supervised actors over to other nodes first, then drains the rest. */
  @Override
  public Future<Void> drain() {
    return desired.handOff().compose(v -> actors.drain());
  }

  /** Drains, then stops everything in the reverse order of {@link #doStart()}; closes Vert.x when it is ours. */
  @Override
  public Future<Void> close() {
    if (closing) {
      return closed.future();
    }
    closing = true;
    drain()
      .recover(t -> Future.succeededFuture())
      .compose(v -> desired.stop().recover(t -> Future.succeededFuture()))
      .compose(v -> events.flush())
      .compose(v -> stats.stop())
      .compose(v -> membership.stop())
      .compose(v -> endpoint == null ? Future.succeededFuture() : endpoint.unregister())
      .compose(v -> lanes.close())
      .compose(v -> events.stop())
      .compose(v -> links.close())
      .compose(v -> routes.close())
      .eventually(() -> codeStore == null ? Future.succeededFuture()
        : codeStore.compose(CodeStore::close).recover(t -> Future.succeededFuture()))
      .eventually(() -> {
        streams.close();
        coalescer.close();
        factory.close();
        codeHome.close();
        return ownsVertx ? vertx.close() : Future.succeededFuture();
      })
      .onComplete(ar -> {
        NodeTracers.remove(id);
        LOG.info("beach node {} stopped", id);
        closed.tryComplete();
      });
    return closed.future();
  }

  @Override
  public Future<Void> closeFuture() {
    return closed.future();
  }

  @Override
  public String toString() {
    return "node " + id;
  }

  // ------------------------------------------------------------------ wiring

  /** The realm code store (push, list, read), replicated to every node; once the node has started it. */
  private Future<CodeStore> code() {
    return codeStore == null ? BeachException.fail(ErrorCode.NO_ACTORS, "node " + id + " is not started") : codeStore;
  }

  /** What an actor of {@code realm} gets as {@code beach()}: the whole client only when its realm is trusted. */
  private Beach actorClient(String realm) {
    return options.getTrustedRealms().contains(realm) ? publicClient
      : new RealmScopedBeach(publicClient, directory, realm);
  }

  private io.vertx.core.json.JsonObject statsSample() {
    return stats.sample();
  }

  /** Stops (or resumes) serving the control plane: tests in this package play a hung node with it. */
  void pauseControl(boolean paused) {
    if (paused) {
      endpoint.pause();
    } else {
      endpoint.resume();
    }
  }

  /** This node's directory (tests in this package check how it heals). */
  Directory directory() {
    return directory;
  }

  /** This node's links (tests in this package count and break them). */
  NodeLinks links() {
    return links;
  }
}
