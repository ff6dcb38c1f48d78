package dev.beach.compute.impl;

import dev.beach.compute.JobFuture;
import io.vertx.core.AsyncResult;
import io.vertx.core.Expectation;
import io.vertx.core.Future;
import io.vertx.core.Handler;

import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A {@link JobFuture}'s {@link Future} half, handed to the job's promise, so callbacks keep Vert.x semantics
 * (added after completion, they still fire; they run on the job's context).
 */
interface DelegatingFuture<T> extends JobFuture<T> {

  Future<T> future();

  @Override
  default boolean isComplete() {
    return future().isComplete();
  }

  @Override
  default Future<T> onComplete(Handler<AsyncResult<T>> handler) {
    future().onComplete(handler);
    return this;
  }

  @Override
  default T result() {
    return future().result();
  }

  @Override
  default Throwable cause() {
    return future().cause();
  }

  @Override
  default boolean succeeded() {
    return future().succeeded();
  }

  @Override
  default boolean failed() {
    return future().failed();
  }

  @Override
  default <U> Future<U> compose(Function<? super T, Future<U>> successMapper, Function<Throwable, Future<U>> failureMapper) {
    return future().compose(successMapper, failureMapper);
  }

  @Override
  default <U> Future<U> transform(Function<AsyncResult<T>, Future<U>> mapper) {
    return future().transform(mapper);
  }

  @Override
  default <U> Future<T> eventually(Supplier<Future<U>> mapper) {
    return future().eventually(mapper);
  }

  @Override
  default <U> Future<U> map(Function<? super T, U> mapper) {
    return future().map(mapper);
  }

  @Override
  default <V> Future<V> map(V value) {
    return future().map(value);
  }

  @Override
  default Future<T> otherwise(Function<Throwable, T> mapper) {
    return future().otherwise(mapper);
  }

  @Override
  default Future<T> otherwise(T value) {
    return future().otherwise(value);
  }

  @Override
  default Future<T> expecting(Expectation<? super T> expectation) {
    return future().expecting(expectation);
  }

  @Override
  default Future<T> timeout(long delay, TimeUnit unit) {
    return future().timeout(delay, unit);
  }
}
