import dev.beach.Actor;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Answers every request with its own body: the smallest useful actor, and the one benchmarks and
 * first-run walk-throughs call. {@code whoami} tells which actor and node answered, to watch placement.
 */
public class Echo extends Actor {

  @Override
  public Future<?> start() {
    on("echo", req -> req.reply(req.body()));
    on("whoami", req -> req.reply(new JsonObject()
      .put("actor", id())
      .put("node", beach().nodeId())
      .put("categories", categories())));
    return super.start();
  }
}
