package dev.beach.impl;

import dev.beach.Address;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;

/** Samples this node's load and publishes it about once a second, for placement and for {@code nodes()}. */
final class NodeStats {

  /** The key of a node's link advert (see {@link NodeLinks}) in its published statistics. */
  static final String LINK = "link";

  private final NodeRuntime node;
  private final java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
  private long timer = -1;

  NodeStats(NodeRuntime node) {
    this.node = node;
  }

  Future<Void> start() {
    node.context().runOnContext(v -> {
      publish();
      timer = node.vertx().setPeriodic(node.options().getStatsIntervalMs(), t -> publish());
    });
    return Future.succeededFuture();
  }

  Future<Void> stop() {
    if (timer >= 0) {
      node.vertx().cancelTimer(timer);
    }
    return Future.succeededFuture();
  }

  private void publish() {
    JsonObject sample = sample();
    JsonObject link = node.links().advert();
    if (link != null) {
      // Not part of NodeInfo: Membership takes it out before storing the sample.
      sample.put(LINK, link);
    }
    node.vertx().eventBus().publish(Address.STATS, sample);
  }

  /** {@code {id, host, tags, startedAt, uptimeMs, cpu, heapUsed, heapMax, actors, ready, seq}}. */
  JsonObject sample() {
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    long now = System.currentTimeMillis();
    return new JsonObject()
      .put("id", node.id())
      .put("host", node.options().getDisplayHost())
      .put("tags", new JsonArray(new ArrayList<>(node.options().getTags())))
      .put("startedAt", node.startedAt())
      .put("uptimeMs", now - node.startedAt())
      .put("cpu", cpu())
      .put("heapUsed", heap.getUsed())
      .put("heapMax", heap.getMax())
      .put("actors", node.cells().size())
      .put("ready", !node.draining())
      .put("seq", node.events().seq());
  }

  private double cpu() {
    if (os instanceof com.sun.management.OperatingSystemMXBean) {
      double load = ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuLoad();
      return load < 0 ? 0 : Math.round(load * 1000) / 1000.0;
    }
    return 0;
  }
}
