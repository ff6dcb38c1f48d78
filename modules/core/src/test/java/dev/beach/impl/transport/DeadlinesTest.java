package dev.beach.impl.transport;

import io.netty.util.Timeout;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Request timeouts on the node's wheel: they fire on the context they were armed for, not early, and never once cancelled. */
class DeadlinesTest {

  private final Vertx vertx = Vertx.vertx();
  private final Deadlines deadlines = new Deadlines("test-node");

  @AfterEach
  void close() throws Exception {
    deadlines.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void firesOnItsContextNoEarlierThanItsDelay() throws Exception {
    ContextInternal context = ((VertxInternal) vertx).createEventLoopContext();
    CompletableFuture<Context> firedOn = new CompletableFuture<>();
    long armed = System.nanoTime();
    deadlines.after(150, context, () -> firedOn.complete(Vertx.currentContext()));
    assertSame(context, firedOn.get(10, TimeUnit.SECONDS));
    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - armed);
    assertTrue(elapsedMs >= 150, "fired after " + elapsedMs + " ms, before its 150 ms");
  }

  @Test
  void aCancelledDeadlineNeverFires() throws Exception {
    ContextInternal context = ((VertxInternal) vertx).createEventLoopContext();
    AtomicBoolean cancelledFired = new AtomicBoolean();
    Timeout cancelled = deadlines.after(50, context, () -> cancelledFired.set(true));
    assertTrue(cancelled.cancel());
    // A later deadline on the same context: by the time it runs, the earlier one would have run before it.
    CompletableFuture<Void> later = new CompletableFuture<>();
    deadlines.after(150, context, () -> later.complete(null));
    later.get(10, TimeUnit.SECONDS);
    assertFalse(cancelledFired.get(), "a cancelled deadline fired");
  }

  @Test
  void armingAfterCloseStillTimesOut() throws Exception {
    deadlines.close();
    ContextInternal context = ((VertxInternal) vertx).createEventLoopContext();
    CompletableFuture<Context> firedOn = new CompletableFuture<>();
    deadlines.after(20, context, () -> firedOn.complete(Vertx.currentContext()));
    assertSame(context, firedOn.get(10, TimeUnit.SECONDS));
  }
}
