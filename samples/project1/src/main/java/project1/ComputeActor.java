package project1;

import dev.beach.Actor;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The middle of the pipeline (category {@code compute}): summarises a batch (count, sum, mean, min, max)
 * and passes the summary to the {@code writer} category, answering with the writer's receipt.
 * Stateless, so it may run as many instances as there is work.
 */
public class ComputeActor extends Actor {

  @Override
  public Future<?> start() {
    onFuture("compute", req -> {
      JsonObject body = req.json();
      JsonObject summary = summarise(body.getJsonArray("values"));
      log().debug("computed {} values from {}", summary.getLong("count"), body.getString("source"));
      return handle("writer").request("write", new JsonObject()
        .put("source", body.getString("source"))
        .put("summary", summary)
        .put("computedBy", id()));
    });
    return super.start();
  }

  static JsonObject summarise(JsonArray values) {
    double sum = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (Object v : values) {
      double d = ((Number) v).doubleValue();
      sum += d;
      min = Math.min(min, d);
      max = Math.max(max, d);
    }
    return new JsonObject()
      .put("count", values.size())
      .put("sum", sum)
      .put("mean", sum / values.size())
      .put("min", min)
      .put("max", max);
  }
}
