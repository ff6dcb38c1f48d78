package dev.beach.impl;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import dev.beach.Actor;
import dev.beach.ActorInfo;
import dev.beach.ActorSpec;
import dev.beach.Address;
import dev.beach.Beach;
import dev.beach.BeachException;
import dev.beach.BeachNode;
import dev.beach.ErrorCode;
import dev.beach.NodeInfo;
import dev.beach.NodeOptions;
import dev.beach.impl.cluster.HazelcastSupport;
import dev.beach.impl.code.CodeStore;
import dev.beach.impl.code.RealmActorFactory;
import dev.beach.control.NodeService;
import dev.beach.control.NodeServiceVertxProxyHandler;
import dev.beach.spi.ActorFactory;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One Beach node: its local actors, the consumers that route to them, the directory cache, membership and
 * the control plane. Clustered registrations are per node and per (realm, category prefix), never per
 * actor (DESIGN.md "Addresses" explains the measured reason); actors are local consumers behind them.
 */
public final class NodeRuntime implements BeachNode {

  private static final Logger LOG = LoggerFactory.getLogger(NodeRuntime.class);
  private static final String VERTX_NODE_ID_ATTRIBUTE = "__vertx.nodeId";

  private final VertxInternal vertx;
  private final NodeOptions options;
  private final ActorFactory factory;
  private final Path codeDir;
  private final boolean ownsCodeDir;
  private Future<CodeStore> codeStore;
  private final boolean ownsVertx;
  private final String id;
  private final String shortId;
  private final long startedAt = System.currentTimeMillis();
  private final ContextInternal context;
  private final AtomicLong actorCounter = new AtomicLong();

  final Directory directory = new Directory();
  private final ConcurrentHashMap<String, ActorCell> cells = new ConcurrentHashMap<>();
  private final Routes routes;
  private final Events events;
  private final Membership membership;
  private final BeachClient client;
  private final Beach publicClient;
  private final NodeServiceImpl service;
  private final NodeStats stats;
  private final Streams streams;
  private final Coalescer coalescer;
  private final NodeLinks links;
  private final Promise<Void> closed = Promise.promise();
  private MessageConsumer<Object> endpoint;
  /** One context per event loop, each with its own clustered consumer at {@code beach._node.<id>.<lane>}. */
  private final List<ContextInternal> laneContexts = new ArrayList<>();
  private final java.util.Map<io.netty.channel.EventLoop, Integer> lanes = new java.util.HashMap<>();
  private final List<MessageConsumer<Object>> laneEndpoints = new ArrayList<>();
  private NodeServiceVertxProxyHandler proxyHandler;
  private volatile boolean draining;
  private volatile boolean closing;

  private NodeRuntime(Vertx vertx, NodeOptions options, ActorFactory factory, boolean ownsVertx) {
    this.vertx = (VertxInternal) vertx;
    this.options = new NodeOptions(options).validate();
    this.ownsVertx = ownsVertx;
    ClusterManager cm = this.vertx.clusterManager();
    this.id = cm != null ? cm.getNodeId() : UUID.randomUUID().toString();
    this.shortId = id.replace("-", "").substring(0, 8);
    // Without a configured code directory, pushed code still needs a home: a private one per node.
    this.ownsCodeDir = this.options.getCodeDir() == null;
    this.codeDir = ownsCodeDir ? tempCodeDir(shortId) : Path.of(this.options.getCodeDir()).toAbsolutePath();
    this.factory = factory != null ? factory : new RealmActorFactory(codeDir);
    this.context = this.vertx.createEventLoopContext();
    this.routes = new Routes(this);
    this.events = new Events(this);
    this.membership = new Membership(this, cm);
    this.client = new BeachClient(this);
    this.publicClient = new CallerBoundBeach(this, client);
    this.service = new NodeServiceImpl(this);
    this.stats = new NodeStats(this);
    this.streams = new Streams(this);
    this.coalescer = new Coalescer(this);
    this.links = new NodeLinks(this, cm != null);
  }

  public static Future<BeachNode> start(Vertx vertx, NodeOptions options, ActorFactory factory, boolean ownsVertx) {
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

  public static Future<BeachNode> clustered(NodeOptions options, ActorFactory factory) {
    NodeOptions opts = options == null ? new NodeOptions() : options;
    try {
      opts.validate();
    } catch (BeachException e) {
      return Future.failedFuture(e);
    }
    return Vertx.builder()
      .with(HazelcastSupport.vertxOptions(opts.getCluster()))
      .withClusterManager(HazelcastSupport.clusterManager(opts.getCluster()))
      .buildClustered()
      .compose(vertx -> {
        Promise<BeachNode> result = Promise.promise();
        start(vertx, opts, factory, true).onComplete(ar -> {
          if (ar.succeeded()) {
            result.complete(ar.result());
          } else {
            closeOffLoop(vertx, () -> result.fail(ar.cause()));
          }
        });
        return result.future();
      });
  }

  /**
   * Closes {@code vertx} from a thread of its own, then runs {@code then}. Closed from one of its event loops,
   * the completion would be handed to that very loop after it terminated, and never run.
   */
  private static void closeOffLoop(Vertx vertx, Runnable then) {
    Thread closer = new Thread(() -> vertx.close().onComplete(ar -> then.run()), "beach-close-after-failed-start");
    closer.setDaemon(true);
    closer.start();
  }

  private Future<Void> doStart() {
    proxyHandler = new NodeServiceVertxProxyHandler(vertx, service, true, -1, false);
    try {
      vertx.eventBus().registerDefaultCodec(Envelope.class, new Envelope.Codec());
    } catch (IllegalStateException alreadyRegistered) {
      // a second node on the same Vert.x: the codec is shared
    }
    endpoint = vertx.eventBus().consumer(Address.node(id), this::onEndpoint);
    codeStore = CodeStore.start(vertx, codeDir);
    return Future.all(endpoint.completion(), events.start(), codeStore, startLanes().compose(v -> links.start()))
      .compose(v -> stats.start())
      .compose(v -> membership.start())
      .onSuccess(v -> {
        events.nodeJoined(info());
        LOG.info("beach node {} started (host {}, tags {}, {} node(s) in view)", id, options.getDisplayHost(),
          options.getTags(), membership.liveNodes().size());
      })
      .mapEmpty();
  }

  /**
   * A clustered consumer per event loop (a handful per node, never per actor): a request sent to the lane of
   * its actor's loop is delivered on that very thread, as a plain consumer's would be, instead of being handed
   * from the node's loop to the actor's. New event-loop contexts take the loops in turn, so a few are made
   * until each loop has one.
   */
  private Future<?> startLanes() {
    int loops = 0;
    for (io.netty.util.concurrent.EventExecutor ignored : vertx.nettyEventLoopGroup()) {
      loops++;
    }
    for (int i = 0; i < loops * 4 && lanes.size() < loops; i++) {
      ContextInternal ctx = vertx.createEventLoopContext();
      if (!lanes.containsKey(ctx.nettyEventLoop())) {
        lanes.put(ctx.nettyEventLoop(), laneContexts.size());
        laneContexts.add(ctx);
      }
    }
    List<Future<Void>> ready = new ArrayList<>();
    for (int lane = 0; lane < laneContexts.size(); lane++) {
      int l = lane;
      Promise<Void> registered = Promise.promise();
      laneContexts.get(l).runOnContext(v -> {
        MessageConsumer<Object> c = vertx.eventBus().consumer(Address.nodeLane(id, l), this::onEndpoint);
        synchronized (laneEndpoints) {
          laneEndpoints.add(c);
        }
        c.completion().onComplete(registered);
      });
      ready.add(registered.future());
    }
    return Future.all(ready);
  }

  @Override
  public List<Integer> linkPorts() {
    return links.ports();
  }

  /** One context per event loop of this Vert.x, in lane order. */
  List<ContextInternal> laneContexts() {
    return laneContexts;
  }

  /** The lane of an actor context's event loop, or -1 (callers then use the node address). */
  int laneOf(ContextInternal ctx) {
    Integer lane = lanes.get(ctx.nettyEventLoop());
    return lane == null ? -1 : lane;
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
  public Future<Void> drain() {
    draining = true;
    List<ActorCell> local = new ArrayList<>(cells.values());
    List<Future<?>> hooks = new ArrayList<>();
    for (ActorCell cell : local) {
      hooks.add(Future.succeededFuture().compose(v -> ActorCell.hooks().drain(cell.actor()))
        .recover(t -> Future.succeededFuture()));
    }
    Promise<Void> idle = Promise.promise();
    long deadline = System.currentTimeMillis() + options.getDrainTimeoutMs();
    Future.join(hooks).onComplete(ar -> waitIdle(local, deadline, idle));
    return idle.future().compose(v -> stopLocal(new ArrayList<>(cells.keySet()))).mapEmpty();
  }

  private void waitIdle(List<ActorCell> local, long deadline, Promise<Void> idle) {
    boolean busy = local.stream().anyMatch(c -> c.pending() > 0);
    if (!busy || System.currentTimeMillis() >= deadline) {
      idle.tryComplete();
    } else {
      vertx.setTimer(20, t -> waitIdle(local, deadline, idle));
    }
  }

  @Override
  public Future<Void> close() {
    if (closing) {
      return closed.future();
    }
    closing = true;
    drain()
      .recover(t -> Future.succeededFuture())
      .compose(v -> events.flush())
      .compose(v -> stats.stop())
      .compose(v -> membership.stop())
      .compose(v -> endpoint == null ? Future.succeededFuture() : endpoint.unregister())
      .compose(v -> {
        List<Future<Void>> all = new ArrayList<>();
        synchronized (laneEndpoints) {
          laneEndpoints.forEach(c -> all.add(c.unregister()));
        }
        return Future.join(all).mapEmpty();
      })
      .compose(v -> events.stop())
      .compose(v -> links.close())
      .compose(v -> routes.close())
      .eventually(() -> codeStore == null ? Future.succeededFuture()
        : codeStore.compose(CodeStore::close).recover(t -> Future.succeededFuture()))
      .eventually(() -> {
        streams.close();
        coalescer.close();
        factory.close();
        if (ownsCodeDir) {
          deleteQuietly(codeDir);
        }
        return ownsVertx ? vertx.close() : Future.succeededFuture();
      })
      .onComplete(ar -> {
        LOG.info("beach node {} stopped", id);
        closed.tryComplete();
      });
    return closed.future();
  }

  /** The realm code store (push, list, read), replicated to every node. */
  Future<CodeStore> code() {
    return codeStore == null ? BeachException.fail(ErrorCode.NO_ACTORS, "node " + id + " is not started") : codeStore;
  }

  private static Path tempCodeDir(String shortId) {
    try {
      return Files.createTempDirectory("beach-code-" + shortId + "-");
    } catch (IOException e) {
      throw new BeachException(ErrorCode.ACTOR_FAILED, "cannot create a code directory: " + e.getMessage());
    }
  }

  private static void deleteQuietly(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | RuntimeException ignored) {
      // a leftover temp folder is harmless
    }
  }

  @Override
  public Future<Void> closeFuture() {
    return closed.future();
  }

  // ------------------------------------------------------------------ local actors

  boolean closing() {
    return closing;
  }

  boolean draining() {
    return draining;
  }

  ActorCell cell(String actorId) {
    return cells.get(actorId);
  }

  Collection<ActorCell> cells() {
    return cells.values();
  }

  /** Starts {@code instances} actors of {@code spec} here. Completes with their ids once all run and are routed. */
  Future<List<String>> deployLocal(ActorSpec spec, int instances) {
    if (draining || closing) {
      return BeachException.fail(ErrorCode.NO_ACTORS, "node " + id + " is draining and takes no new actors");
    }
    try {
      spec.validate();
    } catch (BeachException e) {
      return Future.failedFuture(e);
    }
    return vertx.<List<Actor>>executeBlocking(() -> {
      List<Actor> actors = new ArrayList<>(instances);
      for (int i = 0; i < instances; i++) {
        actors.add(factory.create(spec.getRealm(), spec.getClassName()));
      }
      return actors;
    }, false).compose(actors -> {
      List<Future<String>> started = new ArrayList<>(actors.size());
      for (Actor actor : actors) {
        started.add(deployOne(spec, actor));
      }
      return Future.join(started).transform(ar -> {
        List<String> ids = new ArrayList<>();
        BeachException failure = null;
        for (Future<String> f : started) {
          if (f.succeeded()) {
            ids.add(f.result());
          } else if (failure == null) {
            failure = BeachException.from(f.cause());
          }
        }
        if (failure == null) {
          return Future.succeededFuture(ids);
        }
        BeachException error = failure;
        return stopLocal(ids).transform(x -> Future.failedFuture(error));
      });
    });
  }

  private Future<String> deployOne(ActorSpec spec, Actor actor) {
    String actorId = shortId + "-" + Long.toString(actorCounter.incrementAndGet(), 36);
    ActorCell cell;
    try {
      cell = new ActorCell(this, actorId, spec, actor);
    } catch (RuntimeException e) {
      return Future.failedFuture(BeachException.from(e));
    }
    // The realm's class loader as the context loader, so ServiceLoader and JSON mappers inside handlers
    // see the realm's own classes.
    return vertx.deployVerticle(actor, new DeploymentOptions().setClassLoader(actor.getClass().getClassLoader()))
      .recover(t -> {
        BeachException e = new BeachException(ErrorCode.ACTOR_FAILED, "actor " + spec.getClassName()
          + " failed to start: " + t, spec.getRealm(), null, actorId, id, null, BeachException.from(t).details());
        events.actorFailed(cell.info(), "start", e);
        return Future.failedFuture(e);
      })
      .compose(deploymentId -> {
        cell.started(deploymentId, (ContextInternal) ActorCell.hooks().context(actor));
        cells.put(actorId, cell);
        return routes.bind(cell).map(v -> {
          directory.add(cell.info());
          events.actorStarted(cell.info());
          return actorId;
        });
      });
  }

  /** Stops the listed local actors; completes with how many were here. */
  Future<Integer> stopLocal(List<String> ids) {
    List<Future<?>> undeploys = new ArrayList<>();
    int count = 0;
    for (String actorId : ids) {
      ActorCell cell = cells.remove(actorId);
      if (cell == null) {
        continue;
      }
      count++;
      cell.stop();
      routes.unbind(cell);
      directory.remove(actorId);
      events.actorStopped(cell.info());
      if (cell.deploymentId() != null) {
        undeploys.add(vertx.undeploy(cell.deploymentId()).recover(t -> {
          if (String.valueOf(t.getMessage()).contains("Unknown deployment")) {
            // Vert.x closing undeploys every verticle itself; ours may already be gone. Not a failure.
            LOG.debug("actor {} was already undeployed", actorId);
          } else {
            LOG.warn("actor {} failed to stop cleanly: {}", actorId, t.toString());
          }
          return Future.succeededFuture();
        }));
      }
    }
    int stopped = count;
    return Future.join(undeploys).transform(ar -> Future.succeededFuture(stopped));
  }

  List<String> localIds(String realm, String category) {
    List<String> out = new ArrayList<>();
    for (ActorCell c : cells.values()) {
      if ((realm == null || c.realm().equals(realm)) && (category == null || c.info().reachedBy(category))) {
        out.add(c.id());
      }
    }
    return out;
  }

  // ------------------------------------------------------------------ messages at the node address

  private void onEndpoint(Message<Object> msg) {
    String action = msg.headers().get(Headers.ACTION);
    if (action != null) {
      @SuppressWarnings({"unchecked", "rawtypes"})
      Message<JsonObject> control = (Message) msg;
      proxyHandler.handle(control);
      return;
    }
    if (msg.body() instanceof Envelope) {
      coalescer.onEnvelope(msg);
      return;
    }
    if (msg.headers().contains(Headers.FRAME)) {
      streams.onFrame(msg);
      return;
    }
    routes.routeToActor(msg);
  }

  // ------------------------------------------------------------------ collaborators

  Events events() {
    return events;
  }

  BeachClient beachClient() {
    return client;
  }

  Membership membership() {
    return membership;
  }

  NodeStats stats() {
    return stats;
  }

  Coalescer coalescer() {
    return coalescer;
  }

  NodeLinks links() {
    return links;
  }

  Streams streams() {
    return streams;
  }

  Routes routes() {
    return routes;
  }

  ContextInternal context() {
    return context;
  }

  VertxInternal vertxInternal() {
    return vertx;
  }

  long startedAt() {
    return startedAt;
  }

  private final ConcurrentHashMap<String, String> nodeAddresses = new ConcurrentHashMap<>();

  /** {@code beach._node.<id>}, built (and validated) once per node rather than per request. */
  String addressOf(String nodeId) {
    return nodeAddresses.computeIfAbsent(nodeId, Address::node);
  }

  /** Where actor traffic for {@code actor} goes: its node's lane for its loop when known, else its node. */
  String addressOf(ActorInfo actor) {
    int lane = actor.lane();
    return lane < 0 ? addressOf(actor.node())
      : nodeAddresses.computeIfAbsent(actor.node() + "#" + lane, k -> Address.nodeLane(actor.node(), lane));
  }

  /** The context of whoever calls the API now (an actor's, a verticle's, or a fresh one off Vert.x threads). */
  ContextInternal callerContext() {
    return vertx.getOrCreateContext();
  }

  /** {@code f}, completing on the caller's context, so callbacks never run on another actor's thread. */
  <T> Future<T> bound(Future<T> f) {
    io.vertx.core.internal.PromiseInternal<T> p = callerContext().promise();
    f.onComplete(p);
    return p.future();
  }

  NodeService proxy(String nodeId) {
    return NodeService.createProxy(vertx, addressOf(nodeId), options.getControlTimeoutMs());
  }

  /** The control plane of {@code nodeId}: this node's own service directly, others through the proxy. */
  NodeService control(String nodeId) {
    return id.equals(nodeId) ? service : proxy(nodeId);
  }

  /** Reads the Vert.x node id of a Hazelcast member (Vert.x owns the cluster manager's single node listener). */
  static String nodeIdOf(com.hazelcast.cluster.Member member) {
    return member.getAttribute(VERTX_NODE_ID_ATTRIBUTE);
  }

  static HazelcastInstance hazelcastOf(ClusterManager cm) {
    return cm instanceof HazelcastClusterManager ? ((HazelcastClusterManager) cm).getHazelcastInstance() : null;
  }

  static MembershipListener listener(java.util.function.Consumer<String> joined, java.util.function.Consumer<String> left) {
    return new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent e) {
        String n = nodeIdOf(e.getMember());
        if (n != null) {
          joined.accept(n);
        }
      }

      @Override
      public void memberRemoved(MembershipEvent e) {
        String n = nodeIdOf(e.getMember());
        if (n != null) {
          left.accept(n);
        }
      }
    };
  }

  Set<String> liveNodes() {
    return membership.liveNodes();
  }

  @Override
  public String toString() {
    return "node " + id;
  }
}
