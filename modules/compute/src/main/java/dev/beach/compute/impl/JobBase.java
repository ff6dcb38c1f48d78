package dev.beach.compute.impl;

import dev.beach.Address;
import dev.beach.BeachException;
import dev.beach.ErrorCode;
import dev.beach.compute.Job;
import dev.beach.compute.JobOptions;
import dev.beach.compute.JobProgress;
import dev.beach.compute.JobState;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.WriteStream;

import java.util.concurrent.atomic.AtomicReference;

/**
 * What every job shares: identity, the one-way state change (the first of success, failure, timeout or cancel
 * wins), the futures that always complete, and progress events. A job's work runs on its own context, so its
 * counters need no locks; {@link #cancel()} and the getters may be called from any thread.
 */
abstract class JobBase implements Job {

  /** Progress events: at most one per job per this period while it runs, plus a final one. */
  static final long PROGRESS_PERIOD_MS = 500;

  final JobsImpl jobs;
  final Vertx vertx;
  final ContextInternal ctx;
  final String id;
  final String realm;
  final String category;
  final String op;
  final JobOptions options;
  final long createdAt = System.currentTimeMillis();
  private final long startNanos = System.nanoTime();
  volatile long endedAt;
  private volatile long elapsedAtEnd = -1;
  private final AtomicReference<JobState> state = new AtomicReference<>(JobState.RUNNING);
  private volatile BeachException error;
  final Promise<JobState> ended;
  final Promise<Long> inputEnd;
  /** The job's span and its chunks' when the node traces; null when not. */
  final JobTrace trace;
  private long tickTimer = -1;
  private long timeoutTimer = -1;
  private long lastCount = -1;
  private long lastTickNanos;
  private volatile double rate;
  private String lastPublished;

  JobBase(JobsImpl jobs, ContextInternal ctx, String realm, String category, String op, JobOptions options) {
    this.jobs = jobs;
    this.vertx = jobs.vertx();
    this.ctx = ctx;
    this.id = jobs.newId();
    this.realm = realm;
    this.category = category;
    this.op = op;
    this.options = new JobOptions(options);
    this.ended = ctx.promise();
    this.inputEnd = ctx.promise();
    // Started here, on the caller's thread, where the caller's trace context is current. The job's context is its
    // own: held there, it parents every call the job makes from it (a submit's request, a chunk's unless sampled).
    this.trace = JobTrace.start(this);
    if (trace != null) {
      dev.beach.spi.TraceSupport.hold(ctx, trace.context);
    }
  }

  /** Starts the job on its context; {@code precheck} non-null makes it fail at once with that error. */
  final void begin(BeachException precheck) {
    onJob(() -> {
      if (precheck != null) {
        finish(JobState.FAILED, precheck);
        return;
      }
      if (!running()) {
        return; // cancelled before it started
      }
      lastTickNanos = System.nanoTime();
      tickTimer = vertx.setPeriodic(PROGRESS_PERIOD_MS, t -> tick());
      if (options.getJobTimeoutMs() > 0) {
        timeoutTimer = vertx.setTimer(options.getJobTimeoutMs(), t -> finish(JobState.TIMED_OUT, new BeachException(ErrorCode.TIMEOUT,
          "job " + id + " did not finish within " + options.getJobTimeoutMs() + " ms (jobTimeoutMs); "
            + progress().done() + " items done, " + progress().failed() + " failed, of " + totalText())));
      }
      try {
        run();
      } catch (RuntimeException e) {
        finish(JobState.FAILED, BeachException.from(e));
      }
    });
  }

  /** Starts the work; called once, on the job's context. */
  abstract void run();

  /** Periodic work besides progress (re-reading the directory); on the job's context. */
  void onTick() {
  }

  /** Releases resources and completes outputs; {@code error} is null on success. On the job's context, once. */
  abstract void onEnd(JobState state, BeachException error);

  /** The counters now: done, failed, total, read, in flight, buffered, peak held. */
  abstract long[] counters();

  /** The error as the job reports it: located, with counters and (for chunked jobs) what completed. */
  BeachException describe(BeachException e) {
    return Failures.ofJob(e, this, null);
  }

  /** Ends the job in {@code to} unless it already ended; true when this call ended it. Any thread. */
  final boolean finish(JobState to, BeachException why) {
    if (!state.compareAndSet(JobState.RUNNING, to)) {
      return false;
    }
    onJob(() -> {
      endedAt = System.currentTimeMillis();
      elapsedAtEnd = (System.nanoTime() - startNanos) / 1_000_000;
      // Timers hold the job: cancelled, so an ended job's results are not kept alive by them.
      vertx.cancelTimer(tickTimer);
      vertx.cancelTimer(timeoutTimer);
      BeachException e = why == null ? null : describe(why);
      error = e;
      try {
        onEnd(to, e);
      } finally {
        if (trace != null) {
          trace.end(to, e, counters());
        }
        publish(true);
        if (e != null) {
          inputEnd.tryFail(e);
        }
        jobs.registry().ended(this);
        ended.tryComplete(to);
      }
    });
    return true;
  }

  @Override
  public boolean cancel() {
    return finish(JobState.CANCELLED, new BeachException(ErrorCode.CONFLICT, "job " + id + " was cancelled"));
  }

  private void tick() {
    long now = System.nanoTime();
    long[] c = counters();
    long count = c[0] + c[1];
    if (lastCount >= 0) {
      double instant = (count - lastCount) * 1e9 / Math.max(1, now - lastTickNanos);
      rate = rate == 0 ? instant : 0.5 * rate + 0.5 * instant;
    }
    lastCount = count;
    lastTickNanos = now;
    onTick();
    publish(false);
  }

  private void publish(boolean last) {
    JobProgress p = progress();
    String key = p.done() + "/" + p.failed() + "/" + p.total() + "/" + p.state();
    if (!last && key.equals(lastPublished)) {
      return;
    }
    lastPublished = key;
    vertx.eventBus().publish(Address.EVENTS, p.toEvent(realm));
  }

  @Override
  public JobProgress progress() {
    long[] c = counters();
    long elapsed = elapsedAtEnd >= 0 ? elapsedAtEnd : (System.nanoTime() - startNanos) / 1_000_000;
    JobState s = state.get();
    double r = s.ended() ? (c[0] + c[1]) * 1000.0 / Math.max(1, elapsed) : rate;
    return new JobProgress(id, jobs.nodeId(), s, c[0], c[1], c[2], c[3], c[4], c[5], c[6], r, elapsed);
  }

  private String totalText() {
    long total = counters()[2];
    return total < 0 ? "an input not read to its end yet" : total + " inputs";
  }

  /** Runs {@code r} on the job's context: now when already there, else queued. */
  final void onJob(Runnable r) {
    if (Vertx.currentContext() == ctx) {
      r.run();
    } else {
      ctx.runOnContext(v -> r.run());
    }
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String node() {
    return jobs.nodeId();
  }

  @Override
  public String realm() {
    return realm;
  }

  @Override
  public String category() {
    return category;
  }

  @Override
  public String op() {
    return op;
  }

  @Override
  public JobOptions options() {
    return new JobOptions(options);
  }

  @Override
  public JobState state() {
    return state.get();
  }

  boolean running() {
    return state.get() == JobState.RUNNING;
  }

  @Override
  public BeachException error() {
    return error;
  }

  @Override
  public Future<JobState> ended() {
    return ended.future();
  }

  @Override
  public Future<Long> inputEnd() {
    return inputEnd.future();
  }

  /** Whether results are kept on this node for {@link #pipeResultsTo}. */
  boolean kept() {
    return false;
  }

  /** The spool of a kept job once it exists (failed if it never will); null for jobs that keep nothing. */
  Future<Spool> spool() {
    return null;
  }

  @Override
  public Future<Void> pipeResultsTo(WriteStream<Buffer> out) {
    return Snapshot.pipe(this, spool(), out);
  }

  @Override
  public JsonObject toJson() {
    return Snapshot.describe(this, progress(), error, endedAt, kept());
  }

  @Override
  public String toString() {
    return toJson().encode();
  }
}
