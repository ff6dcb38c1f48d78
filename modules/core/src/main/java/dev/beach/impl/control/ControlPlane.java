package dev.beach.impl.control;

import dev.beach.control.NodeService;
import dev.beach.impl.transport.NodeAddresses;
import io.vertx.core.Vertx;

/** The control plane of any node: this node's own service directly, the others through the generated proxy. */
public final class ControlPlane {

  private final Vertx vertx;
  private final String selfId;
  private final NodeService local;
  private final NodeAddresses addresses;
  private final long timeoutMs;

  /** @param timeoutMs how long a call to another node may take ({@code node.controlTimeoutMs}) */
  public ControlPlane(Vertx vertx, String selfId, NodeService local, NodeAddresses addresses, long timeoutMs) {
    this.vertx = vertx;
    this.selfId = selfId;
    this.local = local;
    this.addresses = addresses;
    this.timeoutMs = timeoutMs;
  }

  /** The control plane of {@code nodeId}. */
  public NodeService of(String nodeId) {
    return selfId.equals(nodeId) ? local : remote(nodeId);
  }

  /** The proxy to {@code nodeId}'s service. */
  private NodeService remote(String nodeId) {
    return proxy(vertx, addresses.of(nodeId), timeoutMs);
  }

  /** The proxy to the service at {@code nodeAddress}, failing calls that take longer than {@code timeoutMs}. */
  public static NodeService proxy(Vertx vertx, String nodeAddress, long timeoutMs) {
    return NodeService.createProxy(vertx, nodeAddress, timeoutMs);
  }
}
