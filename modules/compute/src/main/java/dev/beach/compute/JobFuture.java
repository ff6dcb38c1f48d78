package dev.beach.compute;

import io.vertx.core.Future;

/**
 * A job that yields one value: a Vert.x {@link Future} (callbacks added after completion still fire; it composes
 * with {@code Future.all}, {@code compose}, {@code timeout}...) that is also a {@link Job} with an id, progress
 * and {@link #cancel()}. It always completes: with the value, or failed with a {@link dev.beach.BeachException}
 * when the job is cancelled (409), times out (504) or cannot run (503, 400).
 */
public interface JobFuture<T> extends Future<T>, Job {
}
