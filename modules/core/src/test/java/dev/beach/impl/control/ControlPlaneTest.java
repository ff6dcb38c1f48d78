package dev.beach.impl.control;

import dev.beach.Address;
import dev.beach.BeachException;
import dev.beach.ErrorCode;
import dev.beach.control.NodeService;
import dev.beach.impl.transport.NodeAddresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A control call never outlives its node's membership. */
class ControlPlaneTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  /** A node that receives control calls and never answers (a hung process still in the view). */
  private AtomicInteger hung(String nodeId) throws Exception {
    AtomicInteger received = new AtomicInteger();
    vertx.eventBus().consumer(Address.node(nodeId), msg -> received.incrementAndGet()).completion()
      .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    return received;
  }

  private static BeachException failure(Future<?> f) throws Exception {
    try {
      f.toCompletionStage().toCompletableFuture().get(2, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      return BeachException.from(e.getCause());
    }
    throw new AssertionError("expected a failure");
  }

  @Test
  void aCallWaitingOnANodeFailsAtOnceWhenTheNodeLeaves() throws Exception {
    AtomicInteger received = hung("peer");
    hung("other");
    java.util.Set<String> view = java.util.concurrent.ConcurrentHashMap.newKeySet();
    view.addAll(java.util.List.of("self", "peer", "other"));
    ControlPlane control = new ControlPlane(vertx, "self", null, new NodeAddresses(), 30_000, view::contains);
    Future<JsonObject> waiting = control.of("peer").info();
    Future<JsonObject> elsewhere = control.of("other").info();
    Thread.sleep(100);
    assertFalse(waiting.isComplete(), "the node never answers: the call waits");
    long t0 = System.nanoTime();
    view.remove("peer");
    control.nodeLost("peer");
    BeachException e = failure(waiting);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(ms < 500, "failed after " + ms + " ms");
    assertEquals(ErrorCode.NO_ACTORS, e.code());
    assertTrue(e.getMessage().contains("peer"), e.getMessage());
    assertTrue(ControlPlane.isNodeLeft(e));
    // later calls are not even sent
    int before = received.get();
    assertTrue(ControlPlane.isNodeLeft(failure(control.of("peer").stopAll())));
    Thread.sleep(50);
    assertEquals(before, received.get());
    // another node's call is not affected
    assertFalse(elsewhere.isComplete());
    // a node that comes back (a hung process resumed, same id) is reachable again
    view.add("peer");
    control.of("peer").info();
    Thread.sleep(50);
    assertEquals(before + 1, received.get());
  }

  @Test
  void aCallToALiveNodeStillTimesOutOnItsOwn() throws Exception {
    hung("slow");
    ControlPlane control = new ControlPlane(vertx, "self", null, new NodeAddresses(), 200, n -> true);
    BeachException e = failure(control.of("slow").info());
    assertEquals(ErrorCode.TIMEOUT, e.code());
    assertFalse(ControlPlane.isNodeLeft(e));
    NodeService self = control.of("self");
    assertEquals(null, self, "this node's own service is returned as is (none here)");
  }
}
