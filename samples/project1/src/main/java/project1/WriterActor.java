package project1;

import dev.beach.Actor;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The end of the pipeline (category {@code writer}): keeps the latest summaries in memory, where a real
 * project would write to a database. {@code write} answers with the stored record, {@code read {limit}}
 * with the newest records first, {@code count} with how many were written since start.
 */
public class WriterActor extends Actor {

  static final int KEEP = 1000;

  private final Deque<JsonObject> records = new ArrayDeque<>();
  private long written;

  @Override
  public Future<?> start() {
    on("write", req -> {
      JsonObject record = req.json().copy()
        .put("seq", ++written)
        .put("writtenBy", id())
        .put("writtenAt", System.currentTimeMillis());
      records.addFirst(record);
      if (records.size() > KEEP) {
        records.removeLast();
      }
      req.reply(record);
    });
    on("read", req -> {
      int limit = Math.max(1, Math.min(KEEP, req.json().getInteger("limit", 10)));
      JsonArray out = new JsonArray();
      records.stream().limit(limit).forEach(out::add);
      req.reply(new JsonObject().put("records", out));
    });
    on("count", req -> req.reply(new JsonObject().put("written", written)));
    return super.start();
  }
}
