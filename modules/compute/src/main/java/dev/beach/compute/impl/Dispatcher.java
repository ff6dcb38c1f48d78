package dev.beach.compute.impl;

import dev.beach.BatchProtocol;
import dev.beach.BeachException;
import dev.beach.ErrorCode;
import dev.beach.compute.JobState;
import io.opentelemetry.context.Scope;
import io.vertx.core.AsyncResult;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The heart of a chunked job: takes chunks from the feed (re-dispatches first), hands each to the least busy
 * worker with room, and turns every answer into per-item results. A chunk whose worker dies, leaves or times out
 * goes to another worker; one that keeps failing as a whole ends as per-item failures after
 * {@code retries}. Each chunk finishes exactly once, so each input yields exactly one result.
 * <p>
 * A job that stops moving says so ({@link StallWatch}), naming what it waits on.
 * <p>
 * Everything here runs on the job's context.
 */
final class Dispatcher {

  /** Where finished chunks go: gathered, streamed in order, or streamed as they come. */
  interface Output {
    /** A finished chunk's results, one per item, in index order. */
    void accept(Chunk chunk, JsonArray results);

    /** Whether a fresh chunk starting at {@code base} may go out now: false while the reader lags. */
    boolean mayDispatch(long base);

    /** Results finished but not taken by the reader. */
    long buffered();

    /** Results taken by the reader. */
    long delivered();

    /** The job ended: success when {@code error} is null. */
    void end(BeachException error);

    /** Why the reader takes no results now, for a job that waits on it (e.g. "the job's reader has paused"); or "". */
    default String readerState() {
      return "";
    }
  }

  /** How long a job waits for workers to (re)appear when none is left before it fails with 503. */
  static final long NO_WORKER_GRACE_MS = 5000;
  /** In-flight chunks named in a stall warning, at most. */
  private static final int NAMED_CHUNKS = 3;

  private final ChunkedJob job;
  private final Feed feed;
  private final Output output;
  private final Workers workers;
  private final ArrayDeque<Chunk> redo = new ArrayDeque<>();
  final RangeSet completed = new RangeSet();
  private final long knownTotal;
  private long nextBase;
  private int open;
  private volatile long done;
  private volatile long failed;
  private volatile long inFlightItems;
  private volatile long peakHeld;
  private boolean pumping;
  private boolean again;
  private long noWorkerSince;
  private long wakeTimer = -1;
  private final StallWatch stallWatch;

  Dispatcher(ChunkedJob job, Feed feed, Output output, Workers workers, long knownTotal, long stallWarnMs) {
    this.job = job;
    this.feed = feed;
    this.output = output;
    this.workers = workers;
    this.knownTotal = knownTotal;
    this.stallWatch = new StallWatch(job, stallWarnMs);
  }

  void start() {
    refresh();
    if (workers.usable() == 0) {
      job.finish(JobState.FAILED, new BeachException(ErrorCode.NO_ACTORS, "no actor in category '" + job.category
        + "' of realm '" + job.realm + "' to work on job " + job.id + ": deploy some first"));
      return;
    }
    feed.start(this::pump);
    pump();
  }

  /** Re-reads the directory; new workers get work at once. Watches for a stall. */
  void tick() {
    if (refresh() || noWorkerSince > 0 || !redo.isEmpty()) {
      pump();
    }
    if (job.running()) {
      long now = System.currentTimeMillis();
      stallWatch.check(now, done + failed + output.delivered() + feed.read(), () -> waitsOn(now),
        () -> done + " items done, " + failed + " failed, " + feed.read() + " read");
    }
  }

  /** What the job waits on; null when nothing is outstanding or a chunk timeout bounds the wait (no stall then). */
  private String waitsOn(long now) {
    List<String> parts = new ArrayList<>();
    List<String> held = new ArrayList<>();
    int inFlight = 0;
    long timeout = job.options.getChunkTimeoutMs();
    for (Workers.Worker w : workers.all()) {
      for (Chunk c : w.holding) {
        long age = now - c.sentAt;
        if (age < timeout) {
          return null;
        }
        inFlight++;
        if (held.size() < NAMED_CHUNKS) {
          held.add(c + " at actor " + w.id() + " on node " + w.info.node() + " for " + age + " ms");
        }
      }
    }
    if (inFlight > 0) {
      parts.add(inFlight + " chunk(s) unanswered past chunkTimeoutMs " + timeout + " (" + String.join(", ", held)
        + (inFlight > held.size() ? ", ..." : "") + ")");
    }
    if (!redo.isEmpty()) {
      parts.add(redo.size() + " chunk(s) to send again, first " + redo.peek() + ", and no worker takes them: "
        + workers.summary(now));
    }
    if ((!feed.ready.isEmpty() || !feed.exhausted()) && !output.mayDispatch(nextBase)) {
      parts.add("inputs from " + nextBase + " held back until the results are taken: " + output.buffered()
        + " finished results wait (maxBufferedResults " + job.options.getMaxBufferedResults() + "), "
        + output.readerState());
    } else if (!feed.ready.isEmpty()) {
      parts.add(feed.ready.size() + " chunk(s) read and waiting for a worker: " + workers.summary(now));
    }
    return parts.isEmpty() ? null : String.join("; ", parts);
  }

  /** Re-reads the directory; chunks held by workers that left it go to others now, not after a timeout. */
  private boolean refresh() {
    return workers.refresh(this::orphan);
  }

  /** A chunk whose worker is gone: sent again now; whichever answer comes first finishes it. */
  private void orphan(Chunk c) {
    if (!c.finished) {
      requeue(c);
    }
  }

  private void requeue(Chunk c) {
    if (!redo.contains(c)) {
      redo.add(c);
    }
  }

  /** Dispatches what it can and ends the job when everything finished. Re-entrant calls fold into one loop. */
  void pump() {
    if (pumping) {
      again = true;
      return;
    }
    pumping = true;
    try {
      do {
        again = false;
        if (!job.running()) {
          return;
        }
        dispatch();
        if (feed.failure != null) {
          job.finish(JobState.FAILED, feed.failure);
          return;
        }
        if (feed.exhausted()) {
          job.inputEnd.tryComplete(feed.read());
          if (open == 0 && redo.isEmpty()) {
            job.finish(JobState.SUCCEEDED, null);
            return;
          }
        }
        checkWorkersLeft();
      } while (again);
    } finally {
      pumping = false;
    }
  }

  private void dispatch() {
    long now = System.currentTimeMillis();
    while (true) {
      Chunk c = redo.peek();
      Workers.Worker w;
      if (c != null) {
        if (c.finished) {
          redo.poll(); // an earlier attempt answered after all
          continue;
        }
        w = workers.pick(now, c.avoid);
        if (w == null) {
          scheduleBackoffWake(now);
          return;
        }
        redo.poll();
      } else {
        w = workers.pick(now, null);
        if (w == null) {
          scheduleBackoffWake(now);
          return;
        }
        if (!output.mayDispatch(nextBase)) {
          return; // the reader lags: its next fetch pumps again
        }
        c = feed.poll();
        if (c == null) {
          return;
        }
        nextBase = c.end();
        open++;
        if (job.trace != null) {
          job.trace.chunkCreated(c);
        }
        trackHeld();
        if (c.preFailed != null) {
          finishFailed(c, c.preFailed);
          continue;
        }
      }
      send(w, c);
    }
  }

  private void send(Workers.Worker w, Chunk c) {
    w.inFlight++;
    w.holding.add(c);
    int attempt = ++c.attemptSeq;
    c.sentAt = System.currentTimeMillis();
    inFlightItems += c.size;
    JsonObject body = BatchProtocol.request(job.op, c.base, c.items);
    if (job.trace == null) {
      w.handle.<Object>request(BatchProtocol.BATCH, body).onComplete(ar -> job.onJob(() -> answered(w, c, attempt, ar)));
      return;
    }
    // The request's span is the child of the chunk's (or goes out unsampled): current on the thread while it is made.
    Scope scope = job.trace.attempt(c, attempt, w.id()).makeCurrent();
    try {
      w.handle.<Object>request(BatchProtocol.BATCH, body).onComplete(ar -> job.onJob(() -> answered(w, c, attempt, ar)));
    } finally {
      scope.close();
    }
  }

  private void answered(Workers.Worker w, Chunk c, int attempt, AsyncResult<Object> ar) {
    w.inFlight--;
    w.holding.remove(c);
    inFlightItems -= c.size;
    if (!c.finished && job.running()) {
      JsonArray results = ar.succeeded() ? results(c, ar.result()) : null;
      if (results != null) {
        // Any attempt's answer will do, even one given up on: the chunk finishes once.
        workers.answered(w, c.size);
        finish(c, results);
      } else if (attempt == c.attemptSeq) {
        // Only the latest attempt speaks for the chunk: an older one was already replaced.
        failedAttempt(w, c, ar.succeeded()
          ? new BeachException(ErrorCode.ACTOR_FAILED, "worker " + w.id() + " answered " + BatchProtocol.BATCH + " for items "
          + c.base + ".." + (c.end() - 1) + " with something else than one result per item")
          : BeachException.from(ar.cause()).locate(job.realm, job.category, w.id(), w.info.node(), job.op));
      }
    }
    pump();
  }

  /** The reply's results when they are one per item of the chunk, in order; else null. */
  private static JsonArray results(Chunk c, Object reply) {
    if (!(reply instanceof JsonObject)) {
      return null;
    }
    Object r = ((JsonObject) reply).getValue(BatchProtocol.RESULTS);
    if (!(r instanceof JsonArray) || ((JsonArray) r).size() != c.size) {
      return null;
    }
    JsonArray results = (JsonArray) r;
    Object first = results.getValue(0);
    Object last = results.getValue(c.size - 1);
    if (!(first instanceof JsonObject) || !(last instanceof JsonObject)
      || ((JsonObject) first).getLong(BatchProtocol.INDEX, -1L) != c.base
      || ((JsonObject) last).getLong(BatchProtocol.INDEX, -1L) != c.end() - 1) {
      return null;
    }
    return results;
  }

  private void failedAttempt(Workers.Worker w, Chunk c, BeachException e) {
    c.avoid = w;
    switch (e.code()) {
      case NO_ACTORS:
      case NOT_FOUND:
        // The worker is gone (node left, actor stopped) or does not handle the op: not the chunk's fault.
        workers.drop(w, e, this::orphan);
        requeue(c);
        refresh();
        break;
      case TIMEOUT:
        workers.timedOut(w, e, this::orphan);
        retryOrFail(c, e);
        break;
      case OVERLOADED:
        workers.overloaded(w, System.currentTimeMillis());
        retryOrFail(c, e);
        break;
      case ACTOR_FAILED:
        retryOrFail(c, e);
        break;
      default:
        // 400, 401, 403, 409, 413: sending it again would fail the same way.
        finishFailed(c, e);
        break;
    }
  }

  private void retryOrFail(Chunk c, BeachException e) {
    if (++c.failures > job.options.getRetries()) {
      finishFailed(c, e.withDetail("attempts", c.failures));
    } else {
      requeue(c);
    }
  }

  private void finishFailed(Chunk c, BeachException e) {
    BeachException located = e.locate(job.realm, job.category, null, null, job.op);
    if (job.trace != null) {
      job.trace.chunkFinished(c, c.size, located);
    }
    JsonObject error = located.toJson();
    JsonArray results = new JsonArray(new java.util.ArrayList<>(c.size));
    for (int k = 0; k < c.size; k++) {
      results.add(new JsonObject().put(BatchProtocol.INDEX, c.base + k).put(BatchProtocol.OK, false)
        .put(BatchProtocol.ERROR, k == 0 ? error : error.copy()));
    }
    finish(c, results);
  }

  private void finish(Chunk c, JsonArray results) {
    c.finished = true;
    open--;
    completed.add(c.base, c.end());
    long ok = 0;
    for (int k = 0; k < results.size(); k++) {
      if (results.getJsonObject(k).getBoolean(BatchProtocol.OK, false)) {
        ok++;
      }
    }
    done += ok;
    failed += c.size - ok;
    if (job.trace != null) {
      job.trace.chunkFinished(c, c.size - ok, null);
    }
    output.accept(c, results);
    trackHeld();
  }

  private void trackHeld() {
    long held = feed.read() - output.delivered();
    if (held > peakHeld) {
      peakHeld = held;
    }
  }

  /** With work left and no usable worker, waits a grace period for new ones, then fails the job with 503. */
  private void checkWorkersLeft() {
    if (workers.usable() > 0 || (feed.exhausted() && open == 0)) {
      noWorkerSince = 0;
      return;
    }
    long now = System.currentTimeMillis();
    if (noWorkerSince == 0) {
      noWorkerSince = now;
      refresh();
    }
    if (inFlightItems > 0) {
      return; // answers still to come may bring work back to redo, or finish the job
    }
    if (workers.allRefuse()) {
      job.finish(JobState.FAILED, workers.lastLoss);
    } else if (now - noWorkerSince >= NO_WORKER_GRACE_MS) {
      BeachException why = workers.lastLoss;
      job.finish(JobState.FAILED, new BeachException(ErrorCode.NO_ACTORS, "no worker left in category '" + job.category
        + "' of realm '" + job.realm + "' for " + NO_WORKER_GRACE_MS + " ms"
        + (why == null ? "" : "; the last one was lost with: " + why.getMessage())));
    }
  }

  private void scheduleBackoffWake(long now) {
    long at = workers.nextBackoffEnd(now);
    if (at > 0 && wakeTimer < 0) {
      wakeTimer = job.vertx.setTimer(Math.max(1, at - now), t -> {
        wakeTimer = -1;
        pump();
      });
    }
  }

  void stop(JobState state) {
    stallWatch.ended(System.currentTimeMillis(), state);
    if (wakeTimer >= 0) {
      job.vertx.cancelTimer(wakeTimer);
    }
    feed.close();
  }

  /** done, failed, total, read, in flight, buffered, peak held. */
  long[] counters() {
    long total = knownTotal >= 0 ? knownTotal : feed.ended && feed.failure == null ? feed.read() : -1;
    return new long[]{done, failed, total, feed.read(), inFlightItems, output.buffered(), peakHeld};
  }
}
