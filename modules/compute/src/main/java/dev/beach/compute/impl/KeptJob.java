package dev.beach.compute.impl;

import dev.beach.BeachException;
import dev.beach.ErrorCode;
import dev.beach.compute.JobInput;
import dev.beach.compute.JobOptions;
import dev.beach.compute.JobState;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.ContextInternal;

/**
 * {@code start}: a background job whose results go to a {@link Spool} on this node, in input or completion
 * order, for any number of readers ({@code GET /v1/jobs/{id}/results}) while it runs and after.
 */
final class KeptJob extends ChunkedJob {

  private final ResultQueue results;
  /** The spool once it exists: readers that come early wait for it. */
  private final Promise<Spool> spoolReady = Promise.promise();

  KeptJob(JobsImpl jobs, ContextInternal ctx, String realm, String category, String op, JobInput input, JobOptions options) {
    super(jobs, ctx, realm, category, op, input, options);
    this.results = new ResultQueue(options.isOrdered(), options.getMaxBufferedResults(), this::readerProgressed,
      "the results file writer");
  }

  /** Opens the spool, then starts the job; results wait in the queue until the spool is there. */
  void open(BeachException precheck) {
    if (precheck != null) {
      spoolReady.fail(precheck);
      begin(precheck);
      return;
    }
    Spool.create(vertx, ctx, id).onComplete(ar -> {
      if (ar.failed()) {
        spoolReady.fail(ar.cause());
        begin(new BeachException(ErrorCode.ACTOR_FAILED, "cannot create the results file of job " + id + ": "
          + ar.cause().getMessage()));
        return;
      }
      onJob(() -> attach(ar.result()));
    });
  }

  /** Even a job cancelled before its spool existed gets one: empty, so its results read as nothing but its end. */
  private void attach(Spool s) {
    long max = options.getMaxResultBytes();
    results.handler(r -> {
      s.append(r.toJson());
      if (max > 0 && s.appended() > max) {
        finish(JobState.FAILED, new BeachException(ErrorCode.TOO_LARGE, "the results of job " + id + " passed "
          + max + " bytes (maxResultBytes)"));
      }
      if (s.writeQueueFull()) {
        results.pause();
        s.whenDrained(results::resume);
      }
    });
    results.endHandler(v -> s.finish());
    results.exceptionHandler(t -> s.finish());
    // Published before the job begins: its first results may come back, and pass maxResultBytes, before begin
    // returns (a worker on this event-loop thread answers inline), and an ended job must show its spool's size.
    spoolReady.complete(s);
    begin(null);
  }

  @Override
  Dispatcher.Output output() {
    return results;
  }

  @Override
  boolean kept() {
    return true;
  }

  @Override
  Future<Spool> spool() {
    return spoolReady.future();
  }
}
