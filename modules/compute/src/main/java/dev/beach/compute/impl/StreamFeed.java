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
  private boolean sourceEnded;
  /** Events the stream may still send: it is only ever asked for a window at a time (fetch, never resume). */
  private long outstanding;
  private final int window;

  StreamFeed(ContextInternal ctx, ReadStream<?> stream, int chunkSize) {
    this(ctx, stream, chunkSize, Math.max(1, chunkSize) * READY_LIMIT);
  }

  /** {@code window}: events asked for at a time (inputs here; a byte stream asks for a few buffers). */
  StreamFeed(ContextInternal ctx, ReadStream<?> stream, int chunkSize, int window) {
    super(chunkSize);
    this.ctx = ctx;
    this.stream = stream;
    this.window = Math.max(1, window);
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
        outstanding--;
        int before = ready.size();
        onEvent(event);
        grantIfRoom();
        if (ready.size() > before) {
          wakeup.run();
        }
      });
    });
    // The job paused the stream when it was created, so nothing was emitted before these handlers. From now on
    // the stream is only ever granted a window of events: however fast it is, and whichever context it runs on,
    // it can never get further ahead of the workers than that (pausing after the fact could be too late).
    ctx.runOnContext(v -> grantIfRoom());
  }

  /**
   * Tops the stream's credit back up to a window once half of it is delivered and chunks are running low: the
   * stream keeps flowing, yet is never more than a window ahead.
   */
  private void grantIfRoom() {
    if (stream != null && outstanding <= window / 2 && !ended && !sourceEnded && ready.size() < READY_LIMIT
      && !backlog()) {
      long more = window - Math.max(0, outstanding);
      outstanding = window;
      ReadStream<?> s = stream;
      onStream(() -> s.fetch(more));
    }
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
    grantIfRoom();
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
