import dev.beach.Actor;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

public class Greeter extends Actor {
  @Override
  public Future<?> start() {
    on("greet", req -> req.reply(new JsonObject().put("text", "bonjour, " + req.json().getString("name"))));
    return super.start();
  }
}
