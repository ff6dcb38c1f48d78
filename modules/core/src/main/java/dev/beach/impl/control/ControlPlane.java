package dev.beach.impl.control;

import dev.beach.BeachException;
import dev.beach.ErrorCode;
import dev.beach.control.NodeService;
import dev.beach.impl.transport.NodeAddresses;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The control plane of any node: this node's own service directly, the others through the generated proxy.
 * <p>
 * A call to another node never outlives that node's membership: when it leaves the view ({@link #nodeLost}), every
 * call still waiting on it fails at once with 503 (detail {@code nodeLeft}), and a call to a node not in the view
 * fails without being sent, instead of waiting out the proxy's timeout ({@code node.controlTimeoutMs}, 30 s by
 * default). A node that comes back (a hung process that resumes keeps its id) is reachable again. The guard wraps
 * every method of {@link NodeService} that returns a future, whatever the interface grows to.
 */
public final class ControlPlane {

  private final Vertx vertx;
  private final String selfId;
  private final NodeService local;
  private final NodeAddresses addresses;
  private final long timeoutMs;
  private final Predicate<String> live;
  private final Map<String, Set<Promise<Object>>> waiting = new ConcurrentHashMap<>();

  /**
   * @param timeoutMs how long a call to another node may take ({@code node.controlTimeoutMs})
   * @param live      whether a node is in the view now
   */
  public ControlPlane(Vertx vertx, String selfId, NodeService local, NodeAddresses addresses, long timeoutMs,
                     Predicate<String> live) {
    this.live = live;
    this.vertx = vertx;
    this.selfId = selfId;
    this.local = local;
    this.addresses = addresses;
    this.timeoutMs = timeoutMs;
  }

  /** The control plane of {@code nodeId}. */
  public NodeService of(String nodeId) {
    return selfId.equals(nodeId) ? local : guarded(nodeId, remote(nodeId));
  }

  /** {@code nodeId} left the view: what waits on it fails now. */
  public void nodeLost(String nodeId) {
    Set<Promise<Object>> calls = waiting.remove(nodeId);
    if (calls != null) {
      calls.forEach(p -> p.tryFail(left(nodeId)));
    }
  }

  /** The failure of a call to a node that left: 503, retryable, naming the node. */
  public static BeachException left(String nodeId) {
    return new BeachException(ErrorCode.NO_ACTORS, "node " + nodeId + " left the cluster").withDetail("nodeLeft", nodeId);
  }

  /** Whether {@code failure} is a call's to a node that left (its part of a fan-out is then simply absent). */
  public static boolean isNodeLeft(Throwable failure) {
    return failure instanceof BeachException && ((BeachException) failure).details().containsKey("nodeLeft");
  }

  /** The proxy to {@code nodeId}'s service. */
  private NodeService remote(String nodeId) {
    return proxy(vertx, addresses.of(nodeId), timeoutMs);
  }

  private NodeService guarded(String nodeId, NodeService remote) {
    return (NodeService) Proxy.newProxyInstance(NodeService.class.getClassLoader(), new Class<?>[]{NodeService.class},
      (proxy, method, args) -> {
        if (!Future.class.isAssignableFrom(method.getReturnType())) {
          return invoke(remote, method, args);
        }
        if (!live.test(nodeId)) {
          return Future.failedFuture(left(nodeId));
        }
        Promise<Object> result = Promise.promise();
        Set<Promise<Object>> calls = waiting.computeIfAbsent(nodeId, k -> ConcurrentHashMap.newKeySet());
        calls.add(result);
        if (!live.test(nodeId)) {
          result.tryFail(left(nodeId)); // it left while this call registered
        }
        @SuppressWarnings("unchecked")
        Future<Object> call = (Future<Object>) invoke(remote, method, args);
        call.onComplete(ar -> {
          calls.remove(result);
          if (ar.succeeded()) {
            result.tryComplete(ar.result());
          } else {
            result.tryFail(ar.cause());
          }
        });
        return result.future();
      });
  }

  private static Object invoke(NodeService target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /** The proxy to the service at {@code nodeAddress}, failing calls that take longer than {@code timeoutMs}. */
  public static NodeService proxy(Vertx vertx, String nodeAddress, long timeoutMs) {
    return NodeService.createProxy(vertx, nodeAddress, timeoutMs);
  }
}
