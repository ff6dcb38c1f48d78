package dev.beach.impl.directory;

import dev.beach.Address;
import dev.beach.NodeOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/** Samples this node's load and publishes it about once a second, for placement and for {@code nodes()}. */
public final class NodeStats {

  /** The key of a node's link advert (see {@code NodeLinks}) in its published statistics. */
  public static final String LINK = "link";

  private final Vertx vertx;
  private final ContextInternal context;
  private final String nodeId;
  private final NodeOptions options;
  private final long startedAt;
  private final IntSupplier actorCount;
  private final BooleanSupplier ready;
  private final LongSupplier directorySeq;
  private final Supplier<JsonObject> linkAdvert;
  private final java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
  private long timer = -1;

  /**
   * @param actorCount   how many actors run here now
   * @param ready        whether this node takes new actors (false while it drains)
   * @param directorySeq the sequence number of this node's last published directory event
   * @param linkAdvert   this node's link listeners ({@code {host, ports}}), or null: published for peers only
   */
  public NodeStats(Vertx vertx, ContextInternal context, String nodeId, NodeOptions options, long startedAt,
                   IntSupplier actorCount, BooleanSupplier ready, LongSupplier directorySeq,
                   Supplier<JsonObject> linkAdvert) {
    this.vertx = vertx;
    this.context = context;
    this.nodeId = nodeId;
    this.options = options;
    this.startedAt = startedAt;
    this.actorCount = actorCount;
    this.ready = ready;
    this.directorySeq = directorySeq;
    this.linkAdvert = linkAdvert;
  }

  public Future<Void> start() {
    context.runOnContext(v -> {
      publish();
      timer = vertx.setPeriodic(options.getStatsIntervalMs(), t -> publish());
    });
    return Future.succeededFuture();
  }

  public Future<Void> stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    return Future.succeededFuture();
  }

  private void publish() {
    JsonObject sample = sample();
    JsonObject link = linkAdvert.get();
    if (link != null) {
      // Not part of NodeInfo: Membership takes it out before storing the sample.
      sample.put(LINK, link);
    }
    vertx.eventBus().publish(Address.STATS, sample);
  }

  /** {@code {id, host, tags, startedAt, uptimeMs, cpu, heapUsed, heapMax, actors, ready, seq}}. */
  public JsonObject sample() {
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    long now = System.currentTimeMillis();
    return new JsonObject()
      .put("id", nodeId)
      .put("host", options.getDisplayHost())
      .put("tags", new JsonArray(new ArrayList<>(options.getTags())))
      .put("startedAt", startedAt)
      .put("uptimeMs", now - startedAt)
      .put("cpu", cpu())
      .put("heapUsed", heap.getUsed())
      .put("heapMax", heap.getMax())
      .put("actors", actorCount.getAsInt())
      .put("ready", ready.getAsBoolean())
      .put("seq", directorySeq.getAsLong());
  }

  private double cpu() {
    if (os instanceof com.sun.management.OperatingSystemMXBean) {
      double load = ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuLoad();
      return load < 0 ? 0 : Math.round(load * 1000) / 1000.0;
    }
    return 0;
  }
}
