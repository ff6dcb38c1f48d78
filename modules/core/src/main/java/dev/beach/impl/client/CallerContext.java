package dev.beach.impl.client;

import io.vertx.core.Future;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.PromiseInternal;
import io.vertx.core.internal.VertxInternal;

/** Futures handed to applications complete on the caller's context, never on another actor's thread. */
final class CallerContext {

  private CallerContext() {
  }

  /** The context of whoever calls the API now: an actor's, a verticle's, or a fresh one off Vert.x threads. */
  static ContextInternal of(VertxInternal vertx) {
    return vertx.getOrCreateContext();
  }

  /** {@code f}, completing on the caller's context. */
  static <T> Future<T> bound(VertxInternal vertx, Future<T> f) {
    PromiseInternal<T> p = of(vertx).promise();
    f.onComplete(p);
    return p.future();
  }
}
