package dev.beach.gateway;

import dev.beach.Actor;
import dev.beach.ErrorCode;
import dev.beach.ReplyStream;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/** Actors the gateway tests deploy by class name. */
public final class TestActors {

  private TestActors() {
  }

  /** Echoes JSON objects (adding its id), any other value as is; fails and sleeps on request. */
  public static class Echo extends Actor {
    @Override
    public Future<?> start() {
      on("echo", req -> {
        Object body = req.body();
        req.reply(body instanceof JsonObject ? ((JsonObject) body).copy().put("actor", id()) : body);
      });
      on("raw", req -> req.reply(req.body()));
      on("bytes", req -> req.reply(Buffer.buffer(new byte[] {0, 1, 2, (byte) 255})));
      on("whoami", req -> req.reply(new JsonObject().put("actor", id()).put("ident", req.ident())
        .put("key", req.key())));
      on("fail", req -> req.fail(ErrorCode.CONFLICT, "asked to fail"));
      on("boom", req -> {
        throw new IllegalStateException("boom in " + id());
      });
      on("slow", req -> after(req.json().getLong("ms", 100L), t -> req.reply(new JsonObject().put("actor", id()))));
      on("never", req -> { });
      on("secret", req -> req.reply(new JsonObject().put("hasSecret", params().containsKey("_secret"))));
      return super.start();
    }
  }

  /** Streams {@code n} numbered items. */
  public static class Streamer extends Actor {
    @Override
    public Future<?> start() {
      on("count", req -> {
        int n = req.json().getInteger("n", 3);
        ReplyStream out = req.stream();
        for (int i = 0; i < n; i++) {
          out.write(new JsonObject().put("i", i));
        }
        out.end();
      });
      on("blobs", req -> {
        int n = req.json().getInteger("n", 3);
        String pad = "x".repeat(req.json().getInteger("size", 1024));
        ReplyStream out = req.stream();
        for (int i = 0; i < n; i++) {
          out.write(new JsonObject().put("i", i).put("pad", pad));
        }
        out.end();
      });
      return super.start();
    }
  }
}
