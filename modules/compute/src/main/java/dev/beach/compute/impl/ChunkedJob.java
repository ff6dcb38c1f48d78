package dev.beach.compute.impl;

import dev.beach.BeachException;
import dev.beach.compute.JobInput;
import dev.beach.compute.JobOptions;
import dev.beach.compute.JobState;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.streams.ReadStream;

/** A job that cuts its input into chunks for the category's workers; subclasses choose the output. */
abstract class ChunkedJob extends JobBase {

  private final JobInput input;
  private Dispatcher dispatcher;
  /** The final counters, kept when the dispatcher (and what it holds) is released. */
  private long[] last;

  ChunkedJob(JobsImpl jobs, ContextInternal ctx, String realm, String category, String op, JobInput input,
             JobOptions options) {
    super(jobs, ctx, realm, category, op, options);
    this.input = input;
    if (input.kind() == JobInput.Kind.STREAM || input.kind() == JobInput.Kind.NDJSON) {
      // Paused now, on the caller's thread: what it emits before the job's reader is attached (on the job's
      // context, a moment later) waits instead of being lost. The feed resumes it.
      ((ReadStream<?>) input.source()).pause();
    }
  }

  /** Where results go; created once, on the job's context. */
  abstract Dispatcher.Output output();

  @Override
  void run() {
    Feed feed = feed();
    Workers workers = new Workers(jobs.beach(), realm, category, options);
    dispatcher = new Dispatcher(this, feed, output(), workers, input.size(), jobs.stallWarnMs());
    dispatcher.start();
  }

  @SuppressWarnings("unchecked")
  private Feed feed() {
    int size = options.getChunkSize();
    switch (input.kind()) {
      case ITERABLE:
        return new IterableFeed((Iterable<?>) input.source(), size);
      case STREAM:
        return new StreamFeed(ctx, (ReadStream<?>) input.source(), size);
      case NDJSON:
        return NdjsonFeed.of(ctx, (ReadStream<Buffer>) input.source(), size);
      case NDJSON_FILE:
      default:
        return NdjsonFeed.file(ctx, vertx, (String) input.source(), size);
    }
  }

  /** Wakes the dispatcher: the reader took results, so more may go out. Any thread. */
  final void readerProgressed() {
    onJob(() -> {
      if (dispatcher != null) {
        dispatcher.pump();
      }
    });
  }

  @Override
  void onTick() {
    if (dispatcher != null) {
      dispatcher.tick();
    }
  }

  @Override
  final void onEnd(JobState state, BeachException error) {
    if (dispatcher != null) {
      dispatcher.stop(state);
      last = dispatcher.counters();
    }
    output().end(error);
    dispatcher = null;
  }

  @Override
  BeachException describe(BeachException e) {
    Dispatcher d = dispatcher;
    return Failures.ofJob(e, this, d == null ? null : d.completed);
  }

  @Override
  long[] counters() {
    Dispatcher d = dispatcher;
    if (d != null) {
      return d.counters();
    }
    long[] l = last;
    return l != null ? l : new long[]{0, 0, input.size(), 0, 0, 0, 0};
  }
}
