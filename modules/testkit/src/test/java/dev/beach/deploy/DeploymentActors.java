package dev.beach.deploy;

import dev.beach.Actor;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.atomic.AtomicInteger;

/** Actors the deployment tests keep running, crash and move. */
public final class DeploymentActors {

  private DeploymentActors() {
  }

  /** Answers who and where it is; {@code slow} answers after {@code ms}. */
  public static class Worker extends Actor {
    @Override
    public Future<?> start() {
      on("whoami", req -> req.reply(new JsonObject().put("actor", id()).put("node", beach().nodeId())));
      on("slow", req -> after(req.json().getLong("ms", 100L),
        t -> req.reply(new JsonObject().put("actor", id()).put("node", beach().nodeId()))));
      return super.start();
    }
  }

  /** Starts, then stops itself with an error after {@code crashAfterMs} (parameter; 50 by default). */
  public static class Crashy extends Actor {
    static final AtomicInteger STARTS = new AtomicInteger();

    @Override
    public Future<?> start() {
      int n = STARTS.incrementAndGet();
      on("whoami", req -> req.reply(new JsonObject().put("actor", id())));
      after(params().getLong("crashAfterMs", 50L), t -> stopSelf(new IllegalStateException("crash number " + n)));
      return super.start();
    }
  }

  /** Stops itself cleanly after {@code exitAfterMs}. */
  public static class Quitter extends Actor {
    @Override
    public Future<?> start() {
      after(params().getLong("exitAfterMs", 50L), t -> stopSelf());
      return super.start();
    }
  }

  /** Takes {@code startMs} (parameter; 500 by default) to start, then answers like a worker. */
  public static class SlowStart extends Worker {
    @Override
    public Future<?> start() {
      io.vertx.core.Promise<Void> started = io.vertx.core.Promise.promise();
      after(params().getLong("startMs", 500L), t -> started.complete());
      return started.future().compose(v -> super.start());
    }
  }

  /** Its start always fails. */
  public static class Broken extends Actor {
    @Override
    public Future<?> start() {
      return Future.failedFuture(new IllegalStateException("broken on purpose"));
    }
  }
}
