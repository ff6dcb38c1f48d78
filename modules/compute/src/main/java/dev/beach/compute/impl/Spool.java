package dev.beach.compute.impl;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.WriteStream;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A kept job's results as an NDJSON file on this node (achilles' result sink, without the memory): written as
 * results come, read by any number of followers that stream what is there and wait for more until the job's
 * last result is written. Lives on the job's context.
 * <p>
 * Back-pressure is the spool's own, not the file's: Vert.x's {@code AsyncFile} (like an HTTP response) signals a
 * drain only at the moment its write queue empties, to the handler installed at that moment, and its writes
 * complete on the context that opened it (the caller's, e.g. the gateway's), not the job's. A job that saw the queue
 * full and installed its handler a moment after the last write completed there was never woken: its results
 * stopped, so its dispatch, so its input (issue #11). Here the bytes being written are counted on the job's context
 * and {@link #whenDrained} is level-triggered: a waiter that comes after the drain runs at once.
 */
final class Spool {

  static final int BLOCK = 64 * 1024;
  /** Bytes handed to the file and not written yet from which the job stops taking results (AsyncFile's default). */
  static final int MAX_WRITING_BYTES = 128 * 1024;
  /** How long a result may sit in the write buffer before followers get to see it. */
  static final long FLUSH_MS = 200;

  private final Vertx vertx;
  private final ContextInternal ctx;
  final String path;
  private final AsyncFile out;
  private Buffer pending = Buffer.buffer(BLOCK + 1024);
  /** Bytes of the file that are written and readable: the blocks before the first one still being written. */
  private volatile long written;
  private volatile long appended;
  /**
   * Blocks handed to the file and not yet counted in {@link #written}, in file order: each as {end offset, 1 once
   * written}. The file's writes run on the worker pool and may complete out of order, so a block that completes
   * before an earlier one must not make the bytes before it look readable (a follower would read a hole).
   */
  private final ArrayDeque<long[]> unwritten = new ArrayDeque<>();
  private long handedOut;
  private int writing;
  /** Bytes handed to the file whose write has not completed yet. */
  private long writingBytes;
  /** Runs once {@link #writingBytes} falls to half of {@link #MAX_WRITING_BYTES}. */
  private Runnable drainWaiter;
  private boolean finishing;
  private volatile boolean finished;
  private List<Runnable> waiters = new ArrayList<>();
  private long flushTimer = -1;
  private Throwable failure;
  private boolean closed;

  /** A spool writing to {@code out}, the open file at {@code path}; {@link #create} is the way in, tests wrap the file. */
  Spool(Vertx vertx, ContextInternal ctx, String path, AsyncFile out) {
    this.vertx = vertx;
    this.ctx = ctx;
    this.path = path;
    this.out = out;
  }

  /**
   * A new spool file in the temporary directory; deleted when the job is removed, or when the JVM exits. Not
   * with {@code File.deleteOnExit}: its list only grows, one entry per job for the life of the JVM. The files of
   * live spools are in {@link #LIVE} instead, which one shutdown hook empties.
   */
  static Future<Spool> create(Vertx vertx, ContextInternal ctx, String jobId) {
    return vertx.fileSystem().createTempFile("beach-job-" + jobId + "-", ".ndjson")
      .compose(path -> {
        live(path);
        return vertx.fileSystem().open(path, new OpenOptions().setWrite(true).setRead(false).setTruncateExisting(true))
          .map(file -> new Spool(vertx, ctx, path, file))
          .onFailure(t -> forget(path));
      });
  }

  /** Files of spools not deleted yet, for the shutdown hook. */
  private static final Set<String> LIVE = ConcurrentHashMap.newKeySet();
  private static final AtomicBoolean HOOKED = new AtomicBoolean();

  private static void live(String path) {
    LIVE.add(path);
    if (HOOKED.compareAndSet(false, true)) {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(f -> new java.io.File(f).delete()),
        "beach-spool-cleanup"));
    }
  }

  private static void forget(String path) {
    LIVE.remove(path);
    new java.io.File(path).delete();
  }

  /** How many spool files exist in this JVM (tests). */
  static int liveFiles() {
    return LIVE.size();
  }

  /** Bytes written so far: the size of the results file. */
  long size() {
    return written;
  }

  /** Bytes of results taken so far, written or still buffered: what the file will hold. */
  long appended() {
    return appended;
  }

  void append(JsonObject result) {
    int before = pending.length();
    pending.appendBuffer(result.toBuffer()).appendByte((byte) '\n');
    appended += pending.length() - before;
    if (pending.length() >= BLOCK) {
      flush();
    } else if (flushTimer < 0) {
      flushTimer = vertx.setTimer(FLUSH_MS, t -> {
        flushTimer = -1;
        flush();
      });
    }
  }

  /** Whether enough bytes are still being written that the job should stop taking results for a while. */
  boolean writeQueueFull() {
    return writingBytes >= MAX_WRITING_BYTES;
  }

  /**
   * Runs {@code waiter} (once, on the job's context) when the bytes being written have fallen to half of
   * {@link #MAX_WRITING_BYTES}: at once when they already have. Replaces a waiter set earlier.
   */
  void whenDrained(Runnable waiter) {
    drainWaiter = waiter;
    drained();
  }

  private void drained() {
    Runnable w = drainWaiter;
    if (w != null && writingBytes <= MAX_WRITING_BYTES / 2) {
      drainWaiter = null;
      w.run();
    }
  }

  private void flush() {
    if (pending.length() == 0) {
      return;
    }
    Buffer block = pending;
    pending = Buffer.buffer(BLOCK + 1024);
    writing++;
    handedOut += block.length();
    long[] slot = {handedOut, 0};
    unwritten.add(slot);
    writingBytes += block.length();
    out.write(block).onComplete(ar -> onJob(() -> {
      writing--;
      writingBytes -= block.length();
      if (ar.succeeded()) {
        slot[1] = 1;
        while (!unwritten.isEmpty() && unwritten.peek()[1] == 1) {
          written = unwritten.poll()[0];
        }
      } else if (failure == null) {
        failure = ar.cause();
      }
      if (finishing && writing == 0) {
        finished();
      }
      wake();
      drained();
    }));
  }

  /**
   * The last result is written: the writer's descriptor is closed now, not when the job is removed (an ended job
   * is kept for a while, and a busy node would otherwise run out of descriptors). Readers open their own.
   */
  private void finished() {
    finished = true;
    closeWriter();
  }

  private Future<Void> closeWriter() {
    if (closed) {
      return Future.succeededFuture();
    }
    closed = true;
    return out.close();
  }

  /** No more results: write what is buffered; followers end once they have read it all. */
  void finish() {
    if (finishing) {
      return;
    }
    finishing = true;
    if (flushTimer >= 0) {
      vertx.cancelTimer(flushTimer);
      flushTimer = -1;
    }
    flush();
    if (writing == 0) {
      finished();
      wake();
    }
  }

  private void wake() {
    List<Runnable> now = waiters;
    waiters = new ArrayList<>();
    now.forEach(Runnable::run);
  }

  /** Streams the file to {@code dst} with back-pressure, following it until the job's last result is in. */
  Future<Void> pipeTo(WriteStream<Buffer> dst) {
    Promise<Void> done = Promise.promise();
    vertx.fileSystem().open(path, new OpenOptions().setRead(true).setWrite(false).setCreate(false))
      .onComplete(ar -> onJob(() -> {
        if (ar.failed()) {
          done.tryFail(ar.cause());
        } else {
          new Follower(ar.result(), dst, done).next();
        }
      }));
    return done.future();
  }

  private final class Follower {
    private final AsyncFile file;
    private final WriteStream<Buffer> dst;
    private final Promise<Void> done;
    private long pos;
    /** Waiting for {@code dst} to drain: only then does its drain handler continue (it may also fire late). */
    private boolean awaitingDrain;

    Follower(AsyncFile file, WriteStream<Buffer> dst, Promise<Void> done) {
      this.file = file;
      this.dst = dst;
      this.done = done;
      dst.exceptionHandler(t -> stop(t));
    }

    void next() {
      if (done.future().isComplete()) {
        return;
      }
      if (failure != null) {
        stop(failure);
        return;
      }
      if (dst.writeQueueFull()) {
        // Installed, then checked again: the destination lives on another context and calls the drain handler it
        // has when its queue empties; one that drained before this handler was in place would never call it.
        awaitingDrain = true;
        dst.drainHandler(v -> onJob(this::drained));
        if (dst.writeQueueFull()) {
          return;
        }
        awaitingDrain = false;
      }
      long available = written - pos;
      if (available > 0) {
        int n = (int) Math.min(available, BLOCK);
        file.read(Buffer.buffer(n), 0, pos, n).onComplete(ar -> onJob(() -> {
          if (ar.failed()) {
            stop(ar.cause());
            return;
          }
          Buffer b = ar.result();
          pos += b.length();
          dst.write(b).onFailure(this::stop);
          if (b.length() == 0) {
            waiters.add(this::next);
          } else {
            next();
          }
        }));
        return;
      }
      if (finished) {
        file.close();
        done.tryComplete();
        return;
      }
      waiters.add(this::next);
    }

    private void drained() {
      if (awaitingDrain) {
        awaitingDrain = false;
        next();
      }
    }

    private void stop(Throwable t) {
      if (done.tryFail(t)) {
        file.close();
      }
    }
  }

  /** Closes the writer and deletes the file; followers still reading fail. */
  Future<Void> delete() {
    Promise<Void> p = Promise.promise();
    onJob(() -> {
      failure = failure != null ? failure : new IllegalStateException("the job's results were removed");
      wake();
      closeWriter().eventually(() -> vertx.fileSystem().delete(path)).onComplete(ar -> {
        forget(path);
        p.tryComplete();
      });
    });
    return p.future();
  }

  private void onJob(Runnable r) {
    if (Vertx.currentContext() == ctx) {
      r.run();
    } else {
      ctx.runOnContext(v -> r.run());
    }
  }
}
