import dev.beach.Actor;
import io.vertx.core.Future;

/**
 * The worker of the chaos and soak scenarios (realm code, compiled by the node): {@code echo} answers its body, so a
 * job item {@code {"id": n}} comes back as itself and the client can count every id it gets back.
 */
public class Worker extends Actor {

  @Override
  public Future<?> start() {
    on("echo", req -> req.reply(req.body()));
    return super.start();
  }
}
