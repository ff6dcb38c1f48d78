import dev.beach.Actor;
import dev.beach.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * A stateful actor. Its count lives in the actor, so no lock is needed: Beach hands it one request at a
 * time. Ops: {@code add {n}} (n defaults to 1), {@code get}, {@code reset}; each answers {@code {count}}.
 */
public class Counter extends Actor {

  private long count;

  @Override
  public Future<?> start() {
    count = params().getLong("start", 0L);
    on("add", req -> {
      Object n = req.json().getValue("n", 1L);
      if (!(n instanceof Number)) {
        req.fail(ErrorCode.BAD_REQUEST, "'n' must be a number");
        return;
      }
      count += ((Number) n).longValue();
      req.reply(current());
    });
    on("get", req -> req.reply(current()));
    on("reset", req -> {
      count = 0;
      req.reply(current());
    });
    return super.start();
  }

  private JsonObject current() {
    return new JsonObject().put("count", count).put("actor", id());
  }
}
