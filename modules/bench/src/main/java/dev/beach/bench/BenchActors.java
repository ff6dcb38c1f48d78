package dev.beach.bench;

import dev.beach.Actor;
import io.vertx.core.Future;

/** Actors the scenarios deploy. */
public final class BenchActors {

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
}
