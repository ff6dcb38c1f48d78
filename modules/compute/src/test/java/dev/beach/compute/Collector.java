package dev.beach.compute;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.WriteStream;

import java.util.ArrayList;
import java.util.List;

/** A write stream that keeps what it is given, for reading kept results in tests. */
public final class Collector implements WriteStream<Buffer> {

  private final Buffer data = Buffer.buffer();

  @Override
  public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    return this;
  }

  @Override
  public synchronized Future<Void> write(Buffer b) {
    data.appendBuffer(b);
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> end() {
    return Future.succeededFuture();
  }

  @Override
  public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    return false;
  }

  @Override
  public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
    return this;
  }

  public synchronized String text() {
    return data.toString();
  }

  /** The NDJSON lines as objects. */
  List<JsonObject> lines() {
    List<JsonObject> out = new ArrayList<>();
    for (String line : text().split("\n")) {
      if (!line.isEmpty()) {
        out.add(new JsonObject(line));
      }
    }
    return out;
  }
}
