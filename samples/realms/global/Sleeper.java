import dev.beach.Actor;
import dev.beach.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Answers {@code sleep {ms}} after {@code ms} milliseconds, without blocking its event loop (a timer, not
 * Thread.sleep): the actor to try timeouts, retries and full mailboxes with. {@code ms} is capped at 10 minutes.
 */
public class Sleeper extends Actor {

  private static final long MAX_MS = 600_000;

  @Override
  public Future<?> start() {
    on("sleep", req -> {
      Object ms = req.json().getValue("ms", 1000L);
      if (!(ms instanceof Number) || ((Number) ms).longValue() < 0 || ((Number) ms).longValue() > MAX_MS) {
        req.fail(ErrorCode.BAD_REQUEST, "'ms' must be a number between 0 and " + MAX_MS);
        return;
      }
      long delay = ((Number) ms).longValue();
      long started = System.currentTimeMillis();
      if (delay == 0) {
        req.reply(new JsonObject().put("slept", 0L));
        return;
      }
      after(delay, t -> req.reply(new JsonObject().put("slept", System.currentTimeMillis() - started)));
    });
    return super.start();
  }
}
