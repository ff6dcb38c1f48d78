package dev.beach.impl.transport;

import dev.beach.Address;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.netty.channel.EventLoop;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One context per event loop of the node's Vert.x ("lanes"), each with its own clustered consumer at
 * {@code beach._node.<id>.<lane>} (a handful per node, never per actor). A request sent to the lane of its
 * actor's loop is delivered on that very thread, as a plain consumer's would be, instead of being handed from
 * the node's loop to the actor's; node links listen once per lane for the same reason.
 */
public final class Lanes {

  private final VertxInternal vertx;
  private final String nodeId;
  private final List<ContextInternal> contexts = new ArrayList<>();
  private final Map<EventLoop, Integer> byLoop = new HashMap<>();
  private final List<MessageConsumer<Object>> consumers = new ArrayList<>();

  /** Makes one context per event loop: new event-loop contexts take the loops in turn, so a few are made. */
  public Lanes(VertxInternal vertx, String nodeId) {
    this.vertx = vertx;
    this.nodeId = nodeId;
    int loops = 0;
    for (io.netty.util.concurrent.EventExecutor ignored : vertx.nettyEventLoopGroup()) {
      loops++;
    }
    for (int i = 0; i < loops * 4 && byLoop.size() < loops; i++) {
      ContextInternal ctx = vertx.createEventLoopContext();
      if (!byLoop.containsKey(ctx.nettyEventLoop())) {
        byLoop.put(ctx.nettyEventLoop(), contexts.size());
        contexts.add(ctx);
      }
    }
  }

  /** Registers each lane's consumer, on the lane's own context, handing its messages to {@code endpoint}. */
  public Future<Void> start(Handler<Message<Object>> endpoint) {
    List<Future<Void>> ready = new ArrayList<>();
    for (int lane = 0; lane < contexts.size(); lane++) {
      int l = lane;
      Promise<Void> registered = Promise.promise();
      contexts.get(l).runOnContext(v -> {
        MessageConsumer<Object> c = vertx.eventBus().consumer(Address.nodeLane(nodeId, l), endpoint);
        synchronized (consumers) {
          consumers.add(c);
        }
        c.completion().onComplete(registered);
      });
      ready.add(registered.future());
    }
    return Future.all(ready).mapEmpty();
  }

  /** One context per event loop, in lane order. */
  public List<ContextInternal> contexts() {
    return contexts;
  }

  /**
   * Makes the next event-loop context Vert.x creates (the next verticle deployed, for one) land on {@code lane}, as
   * far as this thread can: Vert.x hands the loops out in turn, in lane order, so contexts are made here until one
   * lands on the lane before it. Best effort: a context another thread makes meanwhile takes that turn.
   */
  public void steer(int lane) {
    int n = contexts.size();
    if (n <= 1 || lane < 0 || lane >= n) {
      return;
    }
    int before = (lane + n - 1) % n;
    for (int i = 0; i < n; i++) {
      if (laneOf(vertx.createEventLoopContext()) == before) {
        return;
      }
    }
  }

  /** The lane of a context's event loop, or -1 (callers then use the node address). */
  public int laneOf(ContextInternal ctx) {
    Integer lane = byLoop.get(ctx.nettyEventLoop());
    return lane == null ? -1 : lane;
  }

  public Future<Void> close() {
    List<Future<Void>> all = new ArrayList<>();
    synchronized (consumers) {
      consumers.forEach(c -> all.add(c.unregister()));
      consumers.clear();
    }
    return Future.join(all).mapEmpty();
  }
}
