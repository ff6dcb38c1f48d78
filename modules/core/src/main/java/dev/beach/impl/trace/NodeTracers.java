package dev.beach.impl.trace;

import io.opentelemetry.api.trace.Tracer;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The tracer of each running node of this JVM that traces, by node id: the modules built on core (the gateway,
 * jobs) find it from the {@code Beach} or node they were given ({@code dev.beach.spi.TraceSupport}).
 */
public final class NodeTracers {

  private static final ConcurrentHashMap<String, Tracer> BY_NODE = new ConcurrentHashMap<>();

  private NodeTracers() {
  }

  public static void register(String nodeId, Tracer tracer) {
    BY_NODE.put(nodeId, tracer);
  }

  public static void remove(String nodeId) {
    BY_NODE.remove(nodeId);
  }

  /** Null when node {@code nodeId} does not trace (or is not running in this JVM). */
  public static Tracer of(String nodeId) {
    return nodeId == null ? null : BY_NODE.get(nodeId);
  }
}
