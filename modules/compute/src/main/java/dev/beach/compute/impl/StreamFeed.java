package dev.beach.compute.impl;

import dev.beach.BeachException;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.streams.ReadStream;

/**
 * Reads a pushed stream, pausing it while enough chunks wait, so memory stays bounded however long the stream
 * is. The stream's events may arrive on another context than the job's: they are moved to the job's, and
 * pause/resume go back to the stream's own context.
 */
class StreamFeed extends Feed {

  /** Chunks cut ahead of dispatch: enough that a free worker never waits for the stream. */
  static final int READY_LIMIT = 4;

  final ContextInternal ctx;
  private ReadStream<?> stream;
  private Context streamCtx;
  private boolean paused;
  private boolean sourceEnded;

  StreamFeed(ContextInternal ctx, ReadStream<?> stream, int chunkSize) {
    super(chunkSize);
    this.ctx = ctx;
    this.stream = stream;
  }

  @Override
  void start(Runnable wakeup) {
    this.wakeup = wakeup;
    if (stream != null) {
      attach(stream);
    }
  }

  final void attach(ReadStream<?> s) {
    this.stream = s;
    s.exceptionHandler(t -> onJob(() -> fail(Failures.input("reading the inputs failed after " + chunker.count() + " items", t))));
    s.endHandler(v -> onJob(() -> {
      if (!ended) {
        sourceEnded = true;
        tryEnd();
        wakeup.run();
      }
    }));
    s.handler(event -> {
      if (streamCtx == null) {
        streamCtx = Vertx.currentContext();
      }
      onJob(() -> {
        if (ended) {
          return;
        }
        int before = ready.size();
        onEvent(event);
        if ((ready.size() >= READY_LIMIT || backlog()) && !paused && !ended && !sourceEnded) {
          paused = true;
          onStream(() -> stream.pause());
        }
        if (ready.size() > before) {
          wakeup.run();
        }
      });
    });
    s.resume(); // the job paused it when it was created, so nothing was emitted before these handlers
  }

  private void tryEnd() {
    if (!ended && !backlog()) {
      onEnd();
      chunker.flush();
      ended = true;
    }
  }

  /** One event of the stream: here one input; subclasses may cut an event into several. */
  void onEvent(Object event) {
    offer(event);
  }

  /** Whether inputs already received wait to be cut into chunks (so the stream need not be read further). */
  boolean backlog() {
    return false;
  }

  /** Cuts waiting inputs into chunks while fewer than {@link #READY_LIMIT} are ready. */
  void refill() {
  }

  /** The stream ended and the backlog is cut: subclasses hand over what they still hold. */
  void onEnd() {
  }

  final void offer(Object input) {
    chunker.add(input);
  }

  final void offerBad(BeachException error) {
    chunker.bad(error);
  }

  @Override
  Chunk poll() {
    Chunk c = ready.poll();
    refill();
    if (sourceEnded) {
      tryEnd();
    }
    if (paused && !ended && ready.size() < READY_LIMIT && !backlog()) {
      paused = false;
      onStream(() -> stream.resume());
    }
    return c;
  }

  @Override
  void close() {
    ended = true;
    ReadStream<?> s = stream;
    if (s != null) {
      onStream(() -> {
        s.handler(null);
        s.pause();
      });
    }
  }

  /** Runs on the job's context: now when already there, else queued. */
  final void onJob(Runnable r) {
    if (Vertx.currentContext() == ctx) {
      r.run();
    } else {
      ctx.runOnContext(v -> r.run());
    }
  }

  private void onStream(Runnable r) {
    Context sc = streamCtx;
    if (sc == null || sc == Vertx.currentContext()) {
      r.run();
    } else {
      sc.runOnContext(v -> r.run());
    }
  }
}
