package dev.beach.impl;

import com.hazelcast.core.HazelcastInstance;
import dev.beach.Beach;
import dev.beach.BeachException;
import dev.beach.ErrorCode;
import dev.beach.NodeOptions;
import dev.beach.impl.client.BeachClient;
import dev.beach.impl.client.CallerBoundBeach;
import dev.beach.impl.client.RealmScopedBeach;
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
import dev.beach.impl.transport.Deadlines;
import dev.beach.impl.transport.Lanes;
import dev.beach.impl.transport.NodeAddresses;
import dev.beach.impl.transport.NodeLinks;
import dev.beach.spi.ActorFactory;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.cluster.ClusterManager;

import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * The object graph of one node: every part built once, with what it depends on passed to its constructor (no
 * part reaches another through a locator). {@link NodeRuntime} owns when they start and stop; this class owns
 * who talks to whom. Read top to bottom, the constructor is the node's dependency order: a part only receives
 * parts built above it, or a lambda where it must call up (stats for membership, the client for actors).
 */
final class NodeParts {

  final String id;
  final ContextInternal context;
  final ActorFactory factory;
  final CodeHome codeHome;
  /** Read-only realm code beneath the node's own code folder ({@code node.baseCodeDir}); null without one. */
  final Path baseCodeDir;
  final Directory directory = new Directory();
  final Lanes lanes;
  final Streams streams;
  final Routes routes;
  final NodeLinks links;
  final Coalescer coalescer;
  final Deadlines deadlines;
  final Membership membership;
  final Events events;
  final LocalActors actors;
  final NodeStats stats;
  final NodeServiceImpl service;
  final DesiredState desired;
  final Beach publicClient;
  /** Starts with the node (see {@link NodeRuntime}); until then, code calls fail with a clear error. */
  Future<CodeStore> codeStore;

  /**
   * @param drainAndClose what the control plane's drain and shutdown actions run: the node's own lifecycle
   * @param closing       true once the node is closing, so that the client refuses new work
   */
  NodeParts(VertxInternal vertx, NodeOptions options, ActorFactory givenFactory, String id,
            Lifecycle drainAndClose, BooleanSupplier closing) {
    this.id = id;
    String shortId = id.replace("-", "").substring(0, 8);
    this.codeHome = CodeHome.of(options.getCodeDir(), shortId);
    this.baseCodeDir = options.getBaseCodeDir() == null ? null : Path.of(options.getBaseCodeDir()).toAbsolutePath();
    this.factory = givenFactory != null ? givenFactory : new RealmActorFactory(codeHome.path(), baseCodeDir);
    this.context = vertx.createEventLoopContext();
    ClusterManager cm = vertx.clusterManager();
    long controlTimeoutMs = options.getControlTimeoutMs();

    NodeAddresses addresses = new NodeAddresses();
    this.lanes = new Lanes(vertx, id);
    Cells cells = new Cells(lanes);
    NodeLogs logs = new NodeLogs(id, cells, options);
    this.streams = new Streams(vertx, id);
    this.routes = new Routes(vertx, context, id, cells, streams);
    this.links = new NodeLinks(vertx, id, options.getCluster(), lanes, cm != null);
    this.deadlines = new Deadlines(id);
    this.coalescer = new Coalescer(vertx, id, links, addresses, routes, deadlines);
    this.membership = new Membership(vertx, context, id, options.getDirectorySyncMs(), cm, directory,
      this::statsSample, peer -> ControlPlane.proxy(vertx, addresses.of(peer), controlTimeoutMs)
      .actors(null, null, false), links::onAdvert);
    this.events = new Events(vertx, context, id, directory, membership);
    // The SDK behind the API is whoever started the node's business (the launcher autoconfigures one from OTEL_*);
    // off, no span is started and nothing is allocated per request.
    Tracing tracing = Tracing.OFF;
    if (options.isTracingEnabled()) {
      OtelTracing otel = new OtelTracing(GlobalOpenTelemetry.get());
      NodeTracers.register(id, otel.tracer()); // the gateway's and the jobs' spans: spi.TraceSupport
      tracing = otel;
    }
    this.actors = new LocalActors(vertx, id, shortId, this.factory, cells, routes, directory, events, lanes,
      realm -> actorClient(options, realm), options.getDrainTimeoutMs(), logs, tracing);
    this.stats = new NodeStats(vertx, context, id, options, System.currentTimeMillis(), cells::size,
      actors::ready, () -> directory.seq(id), links::advert);
    HazelcastInstance hz = HazelcastSupport.hazelcastOf(cm);
    this.service = new NodeServiceImpl(vertx, id, actors, cells, directory, () -> directory.seq(id), stats::sample,
      drainAndClose::drain, drainAndClose::close, logs, () -> ClusterView.of(hz, id));
    ControlPlane control = new ControlPlane(vertx, id, service, addresses, controlTimeoutMs,
      node -> membership.liveNodes().contains(node));
    this.desired = new DesiredState(vertx, context, id, hz,
      options.getDataDir() == null ? null : Path.of(options.getDataDir()).toAbsolutePath(), directory, actors,
      membership::nodeStats, control::of, ReconcilerDecisions.placements(id, directory::reach),
      options.getReconcileIntervalMs(), options.getDrainTimeoutMs(), options.getDeployments(),
      options.getReadyTimeoutMs());
    BeachClient client = new BeachClient(vertx, id, options.getRequestTimeoutMs(), directory, membership,
      control, cells, coalescer, streams, this::code, closing, desired.deployments(), tracing, deadlines);
    this.publicClient = new CallerBoundBeach(vertx, client);

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

  /** Membership samples this node's statistics, and is built before them: the call goes through here. */
  private JsonObject statsSample() {
    return stats.sample();
  }

  /** The realm code store (push, list, read), replicated to every node; once the node has started it. */
  private Future<CodeStore> code() {
    return codeStore == null ? BeachException.fail(ErrorCode.NO_ACTORS, "node " + id + " is not started") : codeStore;
  }

  /** What an actor of {@code realm} gets as {@code beach()}: the whole client only when its realm is trusted. */
  private Beach actorClient(NodeOptions options, String realm) {
    return options.getTrustedRealms().contains(realm) ? publicClient
      : new RealmScopedBeach(publicClient, directory, realm);
  }

  /** The two lifecycle actions the control plane can ask of its own node. */
  interface Lifecycle {
    Future<Void> drain();

    Future<Void> close();
  }
}
