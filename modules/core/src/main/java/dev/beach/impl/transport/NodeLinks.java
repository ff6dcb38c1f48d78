package dev.beach.impl.transport;

import dev.beach.ClusterOptions;
import dev.beach.impl.cluster.HazelcastSupport;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * This node's direct links to its peers: the lowest-latency way for actor requests between nodes.
 * <p>
 * Why: a request through the clustered event bus crosses four threads on top of the network (sender's
 * loop to the bus connection's loop, then on the far side from the bus server's loop to the consumer's,
 * and the same again for the reply, which travels on another connection). On two-core machines each
 * hand-off costs tens of microseconds; measured, the raw bus takes 125–200 µs per round trip where a plain
 * TCP round trip between the same JVMs takes ~35 µs (docs/BENCHMARKS.md).
 * <p>
 * How: each node listens once per event loop ("lane"), on consecutive or free ports, and publishes
 * {@code {host, ports}} with its statistics. A caller reaches an actor on lane {@code L} of node {@code N}
 * through a connection made from the caller's own event loop to {@code N}'s port for {@code L}: the caller
 * writes on its own thread, the far side reads on the actor's thread, the reply returns on the same
 * connection to the caller's thread. Connections are made on first use, one per (peer, remote lane, local
 * lane) in use, at most {@link #MAX_LINKS_PER_PEER} per peer, and closed after a minute idle. Until one is open
 * (its handshake done), and whenever one fails, requests take the event bus, which stays the way for everything
 * else (control plane, events, broadcasts, streams).
 * <p>
 * Who may link: with a cluster secret, only a peer that proves it (challenge and response, {@link NodeLink},
 * {@link LinkAuth}); links use the event bus TLS settings too, so an encrypted cluster stays encrypted. What a
 * listener accepts from anyone before that is bounded by {@link LinkGuard} (frame size, handshake deadline,
 * connections in all and per address), which also counts every connection it closes.
 */
public final class NodeLinks {

  private static final Logger LOG = LoggerFactory.getLogger(NodeLinks.class);
  /** After a failed connect, requests take the event bus this long before the link is tried again. */
  static final long RETRY_AFTER_MS = 1_000;
  /**
   * After a failed handshake (a peer with another secret, or none), this long: the cause will not go away in a
   * second, and each attempt costs both sides a connection and a log line.
   */
  static final long HANDSHAKE_RETRY_AFTER_MS = 10_000;
  static final int IDLE_SECONDS = 60;

  /**
   * At most this many links to one peer. Two machines of 4 event loops each use 16 at most; bigger ones share:
   * callers on loops beyond the local share write through another loop's link (one hand-off), and lanes
   * beyond the remote share are reached through another lane's listener (one hand-off on the far side).
   */
  static final int MAX_LINKS_PER_PEER = 64;

  private static final Object CONNECTING = new Object();

  private final VertxInternal vertx;
  private final String selfId;
  private final ClusterOptions cluster;
  private final Lanes lanes;
  private final boolean enabled;
  private final LinkAuth auth;
  private final LinkGuard guard = new LinkGuard();
  private Coalescer coalescer;
  private final List<NetServer> servers = new ArrayList<>();
  private final List<Integer> ports = new ArrayList<>();
  private final Map<String, Peer> peers = new ConcurrentHashMap<>();
  private final Set<NodeLink> inbound = ConcurrentHashMap.newKeySet();
  private final java.util.concurrent.atomic.LongAdder framesSent = new java.util.concurrent.atomic.LongAdder();
  private NetClient client;
  private long sweeper = -1;
  private volatile boolean closed;

  /** What we know of one peer's listeners and our connections to them. */
  private static final class Peer {
    final String host;
    final int[] ports;
    /** How many of its lanes, and of ours, get links of their own (see {@link #MAX_LINKS_PER_PEER}). */
    final int remoteSlots;
    final int localSlots;
    /** Per (remote slot, local slot): null, {@link #CONNECTING}, a {@link NodeLink} or a retry time (Long). */
    final AtomicReferenceArray<Object> slots;

    Peer(String host, int[] ports, int localLanes) {
      this.host = host;
      this.ports = ports;
      this.remoteSlots = remoteSlots(ports.length);
      this.localSlots = localSlots(localLanes, remoteSlots);
      this.slots = new AtomicReferenceArray<>(remoteSlots * localSlots);
    }

    boolean sameAs(String host, int[] ports) {
      return this.host.equals(host) && java.util.Arrays.equals(this.ports, ports);
    }
  }

  /** A listener's address as adverts name it, which both ends of a link put in their proofs. */
  static String address(String host, int port) {
    return host + ":" + port;
  }

  /** How many of a peer's lanes get links of their own. */
  static int remoteSlots(int remoteLanes) {
    return Math.max(1, Math.min(remoteLanes, MAX_LINKS_PER_PEER));
  }

  /** How many of our lanes get links of their own to a peer with {@code remoteSlots}. */
  static int localSlots(int localLanes, int remoteSlots) {
    return Math.max(1, Math.min(localLanes, MAX_LINKS_PER_PEER / remoteSlots));
  }

  /**
   * @param clustered whether the node runs on a clustered Vert.x: without a cluster there is no peer to link to
   */
  public NodeLinks(VertxInternal vertx, String selfId, ClusterOptions cluster, Lanes lanes, boolean clustered) {
    this.vertx = vertx;
    this.selfId = selfId;
    this.cluster = cluster;
    this.lanes = lanes;
    this.enabled = clustered && cluster.isLinks();
    this.auth = new LinkAuth(cluster.getName(), enabled ? cluster.resolveSecret() : null);
  }

  /** Opens one listener per lane on the cluster host (nothing when links are off or there is no cluster). */
  public Future<Void> start(ContextInternal nodeContext, Coalescer coalescer) {
    this.coalescer = coalescer;
    if (!enabled) {
      return Future.succeededFuture();
    }
    client = vertx.createNetClient(HazelcastSupport.tls(new NetClientOptions()
      .setTcpNoDelay(true)
      .setConnectTimeout(2_000)
      .setHostnameVerificationAlgorithm(""), cluster));
    List<ContextInternal> laneContexts = lanes.contexts();
    List<Future<Integer>> listening = new ArrayList<>();
    for (int lane = 0; lane < laneContexts.size(); lane++) {
      int port = cluster.getLinkPort() == 0 ? 0 : cluster.getLinkPort() + lane;
      Promise<Integer> bound = Promise.promise();
      // Listened from the lane's own context: every connection it accepts is served on that lane's loop.
      laneContexts.get(lane).runOnContext(v -> {
        // No idle timeout here: the connecting side closes idle links, knowing whether requests still wait.
        NetServerOptions serverOptions = new NetServerOptions().setTcpNoDelay(true);
        if (cluster.tlsEnabled()) {
          serverOptions.setClientAuth(ClientAuth.REQUIRED);
        }
        NetServer server = vertx.createNetServer(HazelcastSupport.tls(serverOptions, cluster));
        server.connectHandler(socket -> {
          String from = socket.remoteAddress().hostAddress();
          if (closed || !guard.admit(from)) {
            socket.close();
            return;
          }
          NodeLink link = NodeLink.inbound(vertx, socket, selfId, address(cluster.getHost(),
            socket.localAddress().port()), auth, guard, coalescer);
          inbound.add(link);
          link.onClose(() -> {
            inbound.remove(link);
            guard.release(from);
          });
          if (closed) {
            link.close();
          }
        });
        synchronized (servers) {
          servers.add(server);
        }
        server.listen(port, cluster.getHost()).map(NetServer::actualPort).onComplete(bound);
      });
      listening.add(bound.future());
    }
    return Future.all(listening).map(all -> {
      for (int i = 0; i < listening.size(); i++) {
        ports.add(listening.get(i).result());
      }
      nodeContext.runOnContext(v -> sweeper = vertx.setPeriodic(IDLE_SECONDS * 500L, t -> closeIdle()));
      LOG.debug("node {} links listen on {}:{}", selfId, cluster.getHost(), ports);
      return (Void) null;
    }).recover(t -> Future.failedFuture(new dev.beach.BeachException(dev.beach.ErrorCode.BAD_REQUEST,
      "cannot listen for node links on " + cluster.getHost() + (cluster.getLinkPort() == 0 ? "" : " from port "
        + cluster.getLinkPort()) + ": " + t.getMessage() + " (set cluster.linkPort, or cluster.links: false)")));
  }

  /** {@code {host, ports}}, published with this node's statistics; null when links are off. */
  public JsonObject advert() {
    if (!enabled || ports.isEmpty()) {
      return null;
    }
    return new JsonObject().put("host", cluster.getHost()).put("ports", new JsonArray(new ArrayList<>(ports)));
  }

  /** A peer's advert, from its statistics: a changed one (a restarted node) drops our old connections. */
  public void onAdvert(String nodeId, JsonObject advert) {
    if (!enabled || advert == null || closed) {
      return;
    }
    String host = advert.getString("host");
    JsonArray list = advert.getJsonArray("ports");
    if (host == null || list == null || list.isEmpty()) {
      return;
    }
    int[] p = new int[list.size()];
    for (int i = 0; i < p.length; i++) {
      p[i] = list.getInteger(i);
    }
    Peer known = peers.get(nodeId);
    if (known != null && known.sameAs(host, p)) {
      return;
    }
    peers.put(nodeId, new Peer(host, p, Math.max(1, lanes.contexts().size())));
    if (known != null) {
      closeAll(known);
    }
  }

  /**
   * The open link from the caller's loop to lane {@code lane} of {@code nodeId}, or null: the request then
   * takes the event bus, and a connection is started (unless one is on its way or failed a moment ago).
   */
  public NodeLink outbound(String nodeId, int lane) {
    Peer peer = enabled ? peers.get(nodeId) : null;
    if (peer == null) {
      return null;
    }
    int remote = lane < 0 ? 0 : lane % peer.remoteSlots;
    int local = Math.max(0, lanes.laneOf(vertx.getOrCreateContext())) % peer.localSlots;
    int slot = remote * peer.localSlots + local;
    Object s = peer.slots.get(slot);
    if (s instanceof NodeLink) {
      NodeLink link = (NodeLink) s;
      if (!link.isClosed()) {
        return link;
      }
      peer.slots.compareAndSet(slot, s, null);
      s = null;
    }
    if (s instanceof Long && System.currentTimeMillis() < (Long) s) {
      return null;
    }
    if (s != CONNECTING && peer.slots.compareAndSet(slot, s, CONNECTING)) {
      connect(nodeId, peer, slot, remote, local);
    }
    return null;
  }

  private void connect(String nodeId, Peer peer, int slot, int remote, int local) {
    if (closed) {
      return;
    }
    // Connected from the local lane's context, so the connection (its writes and its replies) lives on that loop.
    lanes.contexts().get(local).runOnContext(v -> client.connect(peer.ports[remote], peer.host).onComplete(ar -> {
      if (ar.failed() || closed || peers.get(nodeId) != peer) {
        if (ar.succeeded()) {
          ar.result().close();
        } else {
          LOG.debug("link to node {} at {}:{} failed, using the event bus for {} ms: {}", nodeId, peer.host,
            peer.ports[remote], RETRY_AFTER_MS, ar.cause().toString());
        }
        peer.slots.compareAndSet(slot, CONNECTING, System.currentTimeMillis() + RETRY_AFTER_MS);
        return;
      }
      NodeLink link = NodeLink.outbound(vertx, ar.result(), selfId, nodeId, address(peer.host, peer.ports[remote]),
        auth, guard, coalescer);
      link.onClose(() -> {
        peer.slots.compareAndSet(slot, link, null);
        coalescer.linkClosed(link);
      });
      // Requests take the bus until the handshake is done: only then does the link enter its slot.
      link.opened().onComplete(open -> {
        if (open.failed()) {
          peer.slots.compareAndSet(slot, CONNECTING, System.currentTimeMillis() + HANDSHAKE_RETRY_AFTER_MS);
        } else if (closed || peers.get(nodeId) != peer || !peer.slots.compareAndSet(slot, CONNECTING, link)) {
          link.close();
        }
      });
    }));
  }

  /** Closes outbound links quiet for {@link #IDLE_SECONDS} with no request waiting on them. */
  private void closeIdle() {
    Set<NodeLink> busy = coalescer.linksInUse();
    long idle = IDLE_SECONDS * 1_000_000_000L;
    for (Peer peer : peers.values()) {
      for (int i = 0; i < peer.slots.length(); i++) {
        Object s = peer.slots.get(i);
        if (s instanceof NodeLink && ((NodeLink) s).idleNanos() > idle && !busy.contains(s)
          && peer.slots.compareAndSet(i, s, null)) {
          ((NodeLink) s).close();
        }
      }
    }
  }

  /** A departed node: close our links to it (their requests fail at once) and forget its ports. */
  public void nodeLost(String nodeId) {
    Peer peer = peers.remove(nodeId);
    if (peer != null) {
      closeAll(peer);
    }
  }

  private static void closeAll(Peer peer) {
    for (int i = 0; i < peer.slots.length(); i++) {
      Object s = peer.slots.getAndSet(i, null);
      if (s instanceof NodeLink) {
        ((NodeLink) s).close();
      }
    }
  }

  /** Counts frames (requests, replies) that left this node on a link rather than the event bus. */
  void sent(int frames) {
    framesSent.add(frames);
  }

  public long framesSent() {
    return framesSent.sum();
  }

  /** The limits on what the listeners accept, and the count of connections closed for breaking them. */
  public LinkGuard guard() {
    return guard;
  }

  /** The ports this node's links listen on, in lane order (empty when links are off). */
  public List<Integer> ports() {
    return List.copyOf(ports);
  }

  /** Closes our links to {@code nodeId} but keeps its ports: the next request reconnects. */
  public void closeLinksTo(String nodeId) {
    Peer peer = peers.get(nodeId);
    if (peer != null) {
      closeAll(peer);
    }
  }

  /** How many links are open now (handshake done), outbound and inbound (for tests and diagnostics). */
  public int openLinks() {
    int n = (int) inbound.stream().filter(NodeLink::isOpen).count();
    for (Peer p : peers.values()) {
      for (int i = 0; i < p.slots.length(); i++) {
        if (p.slots.get(i) instanceof NodeLink) {
          n++;
        }
      }
    }
    return n;
  }

  public Future<Void> close() {
    closed = true;
    if (sweeper >= 0) {
      vertx.cancelTimer(sweeper);
    }
    peers.values().forEach(NodeLinks::closeAll);
    peers.clear();
    inbound.forEach(NodeLink::close);
    inbound.clear();
    List<Future<Void>> all = new ArrayList<>();
    synchronized (servers) {
      servers.forEach(s -> all.add(s.close()));
    }
    if (client != null) {
      all.add(client.close());
    }
    return Future.join(all).mapEmpty();
  }
}
