package dev.beach.impl.transport;

import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.vertx.core.internal.ContextInternal;

import java.util.concurrent.TimeUnit;

/**
 * Request timeouts of one node, on a hashed timer wheel (Netty's) instead of a Vert.x timer each. Nearly every
 * request is answered long before its timeout, so what matters is the price of arming and cancelling one: here a
 * queue offer each, where a Vert.x timer costs a map entry, a close hook on its context and a scheduled task on the
 * event loop, taken and cancelled per request (3-5% of a gateway's event loop in its profile, see docs/BENCHMARKS.md).
 * The price is precision: a deadline fires within one {@link #TICK_MS} tick after it is due. The expiry runs on the
 * context given when it was armed, as a Vert.x timer's would.
 */
public final class Deadlines {

  /** The wheel's resolution: plenty for request timeouts, which are seconds. */
  static final long TICK_MS = 10;

  private final HashedWheelTimer wheel;

  public Deadlines(String nodeId) {
    String name = "beach-deadlines-" + nodeId.substring(0, Math.min(8, nodeId.length()));
    this.wheel = new HashedWheelTimer(r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    }, TICK_MS, TimeUnit.MILLISECONDS, 512);
  }

  /** Runs {@code onExpiry} on {@code context} after {@code delayMs}, unless the returned timeout is cancelled first. */
  public Timeout after(long delayMs, ContextInternal context, Runnable onExpiry) {
    try {
      return wheel.newTimeout(t -> context.runOnContext(v -> onExpiry.run()), delayMs, TimeUnit.MILLISECONDS);
    } catch (IllegalStateException stopped) {
      // The node closed while a late caller still sends: its request fails with the rest (Coalescer.close), but
      // keep its timeout honest rather than throwing at the caller.
      long timer = context.owner().setTimer(delayMs, id -> context.runOnContext(v -> onExpiry.run()));
      return new VertxTimeout(context, timer);
    }
  }

  /** Stops the wheel; timeouts not yet fired never fire (the node fails what is still pending as it closes). */
  public void close() {
    wheel.stop();
  }

  /** A Vert.x timer behind the {@link Timeout} interface, for arming after {@link #close}. */
  private static final class VertxTimeout implements Timeout {
    private final ContextInternal context;
    private final long timer;
    private volatile boolean cancelled;

    VertxTimeout(ContextInternal context, long timer) {
      this.context = context;
      this.timer = timer;
    }

    @Override
    public io.netty.util.Timer timer() {
      return null;
    }

    @Override
    public io.netty.util.TimerTask task() {
      return null;
    }

    @Override
    public boolean isExpired() {
      return false;
    }

    @Override
    public boolean isCancelled() {
      return cancelled;
    }

    @Override
    public boolean cancel() {
      cancelled = true;
      return context.owner().cancelTimer(timer);
    }
  }
}
