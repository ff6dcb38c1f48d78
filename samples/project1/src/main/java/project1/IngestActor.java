package project1;

import dev.beach.Actor;
import dev.beach.BeachException;
import dev.beach.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The entrance of the pipeline (category {@code ingest}). {@code ingest {source, values: [numbers]}} checks the
 * batch, hands it to whichever actor serves {@code compute}, and answers with what the pipeline stored.
 * It never names a machine or an actor: only categories.
 */
public class IngestActor extends Actor {

  static final int MAX_VALUES = 100_000;

  private long batches;

  @Override
  public Future<?> start() {
    onFuture("ingest", req -> {
      JsonObject body = req.json();
      Object values = body.getValue("values");
      if (!(values instanceof JsonArray) || ((JsonArray) values).isEmpty() || ((JsonArray) values).size() > MAX_VALUES) {
        return BeachException.fail(ErrorCode.BAD_REQUEST, "'values' must be a list of 1 to " + MAX_VALUES + " numbers");
      }
      for (Object v : (JsonArray) values) {
        if (!(v instanceof Number)) {
          return BeachException.fail(ErrorCode.BAD_REQUEST, "'values' must hold numbers only, found " + v);
        }
      }
      String source = body.getString("source", "anonymous");
      batches++;
      return handle("compute").request("compute", new JsonObject().put("source", source).put("values", values));
    });
    on("stats", req -> req.reply(new JsonObject().put("batches", batches)));
    return super.start();
  }
}
