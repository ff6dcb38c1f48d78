package dev.beach.compute.impl;

import dev.beach.compute.ItemResult;
import dev.beach.compute.JobInput;
import dev.beach.compute.JobOptions;
import dev.beach.compute.JobStream;
import io.vertx.core.Handler;
import io.vertx.core.internal.ContextInternal;

/** {@code stream} / {@code streamUnordered}: results as a back-pressured {@code ReadStream}. */
final class StreamJob extends ChunkedJob implements JobStream {

  private final ResultQueue results;

  StreamJob(JobsImpl jobs, ContextInternal ctx, String realm, String category, String op, JobInput input,
            JobOptions options, boolean ordered) {
    super(jobs, ctx, realm, category, op, input, options);
    this.results = new ResultQueue(ordered, options.getMaxBufferedResults(), this::readerProgressed, "the job's reader");
  }

  @Override
  Dispatcher.Output output() {
    return results;
  }

  // The reader may call these from any thread; the queue lives on the job's context.

  @Override
  public JobStream handler(Handler<ItemResult> handler) {
    onJob(() -> results.handler(handler));
    return this;
  }

  @Override
  public JobStream exceptionHandler(Handler<Throwable> handler) {
    onJob(() -> results.exceptionHandler(handler));
    return this;
  }

  @Override
  public JobStream endHandler(Handler<Void> handler) {
    onJob(() -> results.endHandler(handler));
    return this;
  }

  @Override
  public JobStream pause() {
    onJob(results::pause);
    return this;
  }

  @Override
  public JobStream resume() {
    onJob(results::resume);
    return this;
  }

  @Override
  public JobStream fetch(long amount) {
    if (amount <= 0) {
      throw new IllegalArgumentException("fetch needs a positive amount, not " + amount);
    }
    onJob(() -> results.fetch(amount));
    return this;
  }
}
