package dev.beach.launcher.cli;

import dev.beach.Actor;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** Actors the CLI tests deploy by class name. */
public final class CliTestActors {

  private CliTestActors() {
  }

  public static class Echo extends Actor {
    @Override
    public Future<?> start() {
      on("echo", req -> {
        Object body = req.body();
        req.reply(body instanceof JsonObject ? ((JsonObject) body).copy().put("actor", id()) : body);
      });
      on("params", req -> req.reply(params().copy().put("hasSecret", params().containsKey("_secret")).put("_secret", "x")));
      return super.start();
    }
  }
}
