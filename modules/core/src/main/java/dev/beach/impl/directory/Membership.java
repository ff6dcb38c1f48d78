package dev.beach.impl.directory;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import dev.beach.ActorInfo;
import dev.beach.Address;
import dev.beach.impl.cluster.HazelcastSupport;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Who is in the cluster and what they report. Membership comes from Hazelcast (our own listener: Vert.x
 * owns the cluster manager's single node listener); a node that leaves is purged from the directory at
 * once and requests in flight to it fail fast. Statistics arrive about once a second on {@code beach._stats}
 * and carry each node's directory sequence number, so a directory that fell behind pulls a snapshot.
 */
public final class Membership {

  private static final Logger LOG = LoggerFactory.getLogger(Membership.class);

  /** Told of every departed node: the node id, and how many of its actors left the directory with it. */
  public interface DepartureListener {
    /**
     * @param reporter whether this node reports the departure to the cluster (the oldest member does, so the
     *                 event is published once, not by every survivor)
     */
    void nodeLeft(String nodeId, int actorsLost, boolean reporter);
  }

  private final Vertx vertx;
  private final ContextInternal context;
  private final String selfId;
  private final long directorySyncMs;
  private final Directory directory;
  private final Supplier<JsonObject> selfStats;
  private final Function<String, Future<JsonObject>> actorsOf;
  private final List<DepartureListener> departures = new CopyOnWriteArrayList<>();
  private final BiConsumer<String, JsonObject> linkAdverts;
  private final ClusterManager cm;
  private final HazelcastInstance hz;
  private final Map<String, JsonObject> stats = new ConcurrentHashMap<>();
  private final Set<String> pulling = ConcurrentHashMap.newKeySet();
  /** Since when (ms) our view of a peer has trailed the sequence it reports. */
  private final Map<String, Long> behind = new ConcurrentHashMap<>();
  private UUID listenerId;
  private MessageConsumer<JsonObject> statsConsumer;

  /**
   * @param cm          the cluster manager, or null for a single node without a cluster
   * @param selfStats   this node's statistics, sampled now
   * @param actorsOf    a peer's own list of its actors ({@code NodeService.actors} on that node)
   * @param linkAdverts told of each peer's link listeners as its statistics arrive (null when it has none)
   */
  public Membership(Vertx vertx, ContextInternal context, String selfId, long directorySyncMs, ClusterManager cm,
                    Directory directory, Supplier<JsonObject> selfStats, Function<String, Future<JsonObject>> actorsOf,
                    BiConsumer<String, JsonObject> linkAdverts) {
    this.vertx = vertx;
    this.context = context;
    this.selfId = selfId;
    this.directorySyncMs = directorySyncMs;
    this.cm = cm;
    this.hz = HazelcastSupport.hazelcastOf(cm);
    this.directory = directory;
    this.selfStats = selfStats;
    this.actorsOf = actorsOf;
    this.linkAdverts = linkAdverts;
  }

  /** Adds a listener told of each departure, on the node's context, after the directory was purged. */
  public void onDeparture(DepartureListener listener) {
    departures.add(listener);
  }

  public Future<Void> start() {
    if (hz != null) {
      listenerId = hz.getCluster().addMembershipListener(HazelcastSupport.departures(
        left -> context.runOnContext(v -> nodeLeft(left))));
    }
    Promise<Void> registered = Promise.promise();
    context.runOnContext(v -> {
      statsConsumer = vertx.eventBus().consumer(Address.STATS, this::onStats);
      statsConsumer.completion().onComplete(registered);
    });
    // A node that has just joined knows no actor yet: fetch every peer's list before saying "started", so
    // the first request from this node finds what is already deployed. Bounded: a peer that does not
    // answer in time is caught up by the stats-driven sync.
    return registered.future().compose(v -> {
      List<Future<Void>> pulls = new ArrayList<>();
      for (String other : liveNodes()) {
        if (!other.equals(selfId)) {
          pulls.add(pull(other));
        }
      }
      Promise<Void> done = Promise.promise();
      long timer = vertx.setTimer(INITIAL_SYNC_MS, t -> done.tryComplete());
      Future.join(pulls).onComplete(ar -> {
        vertx.cancelTimer(timer);
        done.tryComplete();
      });
      return done.future();
    });
  }

  private static final long INITIAL_SYNC_MS = 5000;

  public Future<Void> stop() {
    if (hz != null && listenerId != null) {
      try {
        hz.getCluster().removeMembershipListener(listenerId);
      } catch (RuntimeException ignored) {
        // Hazelcast already shutting down
      }
    }
    return statsConsumer == null ? Future.succeededFuture() : statsConsumer.unregister();
  }

  /** Node ids of the live members (just this node without a cluster). */
  public Set<String> liveNodes() {
    if (cm == null) {
      return Set.of(selfId);
    }
    try {
      return Set.copyOf(cm.getNodes());
    } catch (RuntimeException e) {
      return Set.of(selfId);
    }
  }

  /** The latest statistics of every live node, this one freshly sampled. */
  public List<JsonObject> nodeStats() {
    List<JsonObject> out = new ArrayList<>();
    for (String id : liveNodes()) {
      if (id.equals(selfId)) {
        out.add(selfStats.get());
      } else {
        JsonObject s = stats.get(id);
        // A node that joined a moment ago has not reported yet: list it with what we know.
        out.add(s != null ? s : new JsonObject().put("id", id).put("host", "").put("tags", new JsonArray())
          .put("ready", false).put("actors", directory.countOn(id)));
      }
    }
    out.sort((a, b) -> Long.compare(a.getLong("startedAt", Long.MAX_VALUE), b.getLong("startedAt", Long.MAX_VALUE)));
    return out;
  }

  private void onStats(Message<JsonObject> msg) {
    JsonObject s = msg.body();
    String id = s.getString("id");
    if (id == null || id.equals(selfId) || !liveNodes().contains(id)) {
      return;
    }
    Object link = s.remove(NodeStats.LINK);
    linkAdverts.accept(id, link instanceof JsonObject ? (JsonObject) link : null);
    stats.put(id, s);
    long theirs = s.getLong("seq", 0L);
    if (directory.seq(id) < theirs) {
      // Events may still be on their way: only a lag that lasts means one was lost.
      long since = behind.computeIfAbsent(id, k -> System.currentTimeMillis());
      if (System.currentTimeMillis() - since >= directorySyncMs) {
        behind.remove(id);
        pull(id);
      }
    } else {
      behind.remove(id);
    }
  }

  /** Replaces our view of {@code nodeId}'s actors by its own list (one pull in flight per node). */
  public Future<Void> pull(String nodeId) {
    if (nodeId.equals(selfId) || !pulling.add(nodeId)) {
      return Future.succeededFuture();
    }
    return actorsOf.apply(nodeId).transform(ar -> {
      pulling.remove(nodeId);
      if (ar.failed()) {
        LOG.debug("directory pull from node {} failed: {}", nodeId, ar.cause().toString());
        return Future.succeededFuture();
      }
      if (liveNodes().contains(nodeId)) {
        List<ActorInfo> actors = new ArrayList<>();
        for (Object a : ar.result().getJsonArray("actors", new JsonArray())) {
          actors.add(ActorInfo.fromJson((JsonObject) a));
        }
        directory.replaceNode(nodeId, ar.result().getLong("seq", 0L), actors);
      }
      return Future.succeededFuture();
    });
  }

  private void nodeLeft(String nodeId) {
    stats.remove(nodeId);
    behind.remove(nodeId);
    int lost = directory.purgeNode(nodeId);
    LOG.info("node {} left the cluster; {} of its actors removed from the directory", nodeId, lost);
    boolean reporter = isOldest();
    for (DepartureListener l : departures) {
      l.nodeLeft(nodeId, lost, reporter);
    }
  }

  /** The oldest member reports departures, so the event is published once, not by every survivor. */
  private boolean isOldest() {
    if (hz == null) {
      return true;
    }
    try {
      Iterator<Member> it = hz.getCluster().getMembers().iterator();
      return it.hasNext() && it.next().localMember();
    } catch (RuntimeException e) {
      return false;
    }
  }
}
