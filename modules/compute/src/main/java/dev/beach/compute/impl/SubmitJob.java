package dev.beach.compute.impl;

import dev.beach.ActorHandle;
import dev.beach.BeachException;
import dev.beach.HandleOptions;
import dev.beach.compute.JobOptions;
import dev.beach.compute.JobState;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.ContextInternal;

/**
 * {@code submit}: one request to one actor of the category, as a job (pyDist's submit): retried on timeouts and
 * lost workers with the same request id, cancellable, and its future always completes.
 */
final class SubmitJob<T> extends JobBase implements DelegatingFuture<T> {

  private final Object body;
  private final Promise<T> promise;
  private volatile long done;
  private volatile long failed;

  SubmitJob(JobsImpl jobs, ContextInternal ctx, String realm, String category, String op, Object body, JobOptions options) {
    super(jobs, ctx, realm, category, op, options);
    this.body = body;
    this.promise = ctx.promise();
  }

  @Override
  public Future<T> future() {
    return promise.future();
  }

  @Override
  void run() {
    ActorHandle handle = jobs.beach().handle(realm, category, new HandleOptions()
      .setTimeoutMs(options.getChunkTimeoutMs()).setRetries(options.getRetries()));
    inputEnd.tryComplete(1L);
    handle.<T>request(op, body).onComplete(ar -> onJob(() -> {
      if (!running()) {
        return; // cancelled or timed out: the late answer is not the job's any more
      }
      if (ar.succeeded()) {
        done = 1;
        promise.tryComplete(ar.result());
        finish(JobState.SUCCEEDED, null);
      } else {
        failed = 1;
        finish(JobState.FAILED, BeachException.from(ar.cause()));
      }
    }));
  }

  @Override
  void onEnd(JobState state, BeachException error) {
    if (error != null) {
      promise.tryFail(error);
    }
  }

  @Override
  long[] counters() {
    return new long[]{done, failed, 1, 1, done + failed == 0 && running() ? 1 : 0, 0, 1};
  }
}
