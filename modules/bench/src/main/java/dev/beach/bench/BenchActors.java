package dev.beach.bench;

import dev.beach.Actor;
import io.vertx.core.Future;

import java.util.concurrent.atomic.LongAdder;

/** Actors the scenarios deploy, in realm {@value #REALM}. */
public final class BenchActors {

  static final String REALM = "bench";

  private BenchActors() {
  }

  /** Replies with the request body. */
  public static class Echo extends Actor {
    @Override
    public Future<?> start() {
      on("echo", req -> req.reply(req.body()));
      return super.start();
    }
  }

  /** Does nothing until asked: what 100k idle actors cost. */
  public static class Idle extends Actor {
    @Override
    public Future<?> start() {
      on("ping", req -> req.reply(null));
      return super.start();
    }
  }

  /**
   * A compute worker: {@code square} of an integer; jobs reach it through the built-in {@code _batch} op, one call
   * per item. {@code count} answers how many items the Square actors of this JVM have squared, so a job's driver
   * can tell the items that crossed the network from the ones its own JVM ran.
   */
  public static class Square extends Actor {
    private static final LongAdder SQUARED = new LongAdder();

    @Override
    public Future<?> start() {
      on("square", req -> {
        long n = ((Number) req.body()).longValue();
        SQUARED.increment();
        req.reply(n * n);
      });
      on("count", req -> req.reply(SQUARED.sum()));
      return super.start();
    }
  }

  /** The actor class a peer's {@code category:Class:instances} argument names. */
  static Class<? extends Actor> named(String simpleName) {
    switch (simpleName) {
      case "Echo":
        return Echo.class;
      case "Idle":
        return Idle.class;
      case "Square":
        return Square.class;
      default:
        throw new IllegalArgumentException("no bench actor '" + simpleName + "': Echo, Idle or Square");
    }
  }
}
