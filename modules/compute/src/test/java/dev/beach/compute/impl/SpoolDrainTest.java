package dev.beach.compute.impl;

import dev.beach.testkit.Await;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.WriteStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A kept job's spool and its back-pressure (issue #11). The spool is created from another context than the job's, as
 * the gateway does, so its file's writes complete on that other loop. The interleavings that stalled jobs are made
 * here on purpose: a drain that happens before anyone waits for it must not be lost, on the writing side (results
 * into the file) or on the reading side (the file into an HTTP response).
 */
class SpoolDrainTest {

  private Vertx vertx;
  private ContextInternal jobContext;
  private Spool spool;

  @BeforeEach
  void create() {
    vertx = Vertx.vertx();
    jobContext = ((VertxInternal) vertx).createEventLoopContext();
    ContextInternal callerContext = ((VertxInternal) vertx).createEventLoopContext();
    Promise<Spool> created = Promise.promise();
    callerContext.runOnContext(v -> Spool.create(vertx, jobContext, "spooltest").onComplete(created));
    spool = Await.result(created.future());
  }

  @AfterEach
  void close() {
    Await.result(spool.delete());
    Await.result(vertx.close());
  }

  @Test
  void aWaiterThatComesAfterTheWritesDrainedRunsAtOnce() {
    assertTrue(onJob(this::appendUntilFull), "the spool never reported its writes as too many");
    // Nobody waits while the writes complete: this is the moment a job used to look away (it had seen the queue
    // full and was about to say what to do once it drained).
    Await.until("every byte written", Duration.ofSeconds(10), () -> spool.size() == spool.appended());

    AtomicInteger woken = new AtomicInteger();
    boolean fullNow = onJob(() -> {
      boolean full = spool.writeQueueFull();
      spool.whenDrained(woken::incrementAndGet);
      return full;
    });
    assertTrue(!fullNow, "nothing is being written any more");
    assertEquals(1, woken.get(), "a waiter that comes after the drain runs at once, not never");
  }

  @Test
  void aWaiterSetWhileWritesAreOutstandingRunsOnceWhenTheyComplete() {
    AtomicInteger woken = new AtomicInteger();
    assertTrue(onJob(() -> {
      boolean full = appendUntilFull();
      spool.whenDrained(woken::incrementAndGet);
      return full;
    }), "the spool never reported its writes as too many");
    Await.until("the waiter woken", Duration.ofSeconds(10), () -> woken.get() == 1);
    Await.until("every byte written", Duration.ofSeconds(10), () -> spool.size() == spool.appended());
    onJob(() -> true); // the job's context has run everything the last write's completion queued
    assertEquals(1, woken.get(), "woken once");
  }

  @Test
  void aFollowerWhoseDestinationDrainedBeforeItsHandlerWasSetReadsOn() {
    onJob(() -> {
      for (int i = 0; i < 20_000; i++) {
        spool.append(new JsonObject().put("i", i).put("ok", true).put("value", i));
      }
      spool.finish();
      return true;
    });
    Await.until("every byte written", Duration.ofSeconds(10), () -> spool.size() == spool.appended());
    DrainsWhenAsked out = new DrainsWhenAsked();
    Promise<Void> piped = Promise.promise();
    jobContext.runOnContext(v -> spool.pipeTo(out).onComplete(piped));
    Await.result(piped.future(), Duration.ofSeconds(10));
    assertEquals(spool.size(), out.bytes, "the follower read the whole file");
    assertEquals(1, out.drains, "the destination drained once, with no handler yet");
  }

  /** Appends results in one turn of the job's context until the spool says its writes are too many. */
  private boolean appendUntilFull() {
    for (int i = 0; i < 100_000; i++) {
      spool.append(new JsonObject().put("i", i).put("ok", true).put("value", "result " + i));
      if (spool.writeQueueFull()) {
        return true;
      }
    }
    return false;
  }

  private <T> T onJob(Supplier<T> work) {
    Promise<T> done = Promise.promise();
    jobContext.runOnContext(v -> done.complete(work.get()));
    return Await.result(done.future());
  }

  /**
   * A destination on another thread, at its worst: the first time it is asked, it is full, and drains that very
   * moment, before the caller could install a drain handler (it calls the one it has: none yet). Never full again.
   */
  private static final class DrainsWhenAsked implements WriteStream<Buffer> {
    long bytes;
    int drains;
    private boolean askedOnce;
    private Handler<Void> drainHandler;

    @Override
    public boolean writeQueueFull() {
      if (!askedOnce) {
        askedOnce = true;
        drains++;
        if (drainHandler != null) {
          drainHandler.handle(null);
        }
        return true;
      }
      return false;
    }

    @Override
    public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
      drainHandler = handler;
      return this;
    }

    @Override
    public Future<Void> write(Buffer data) {
      bytes += data.length();
      return Future.succeededFuture();
    }

    @Override
    public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
      return this;
    }

    @Override
    public Future<Void> end() {
      return Future.succeededFuture();
    }

    @Override
    public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
      return this;
    }
  }
}
