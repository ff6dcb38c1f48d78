package dev.beach.compute;

import dev.beach.Actor;
import dev.beach.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Workers the compute tests deploy: any actor is a worker, these just have ops worth mapping. */
public final class TestWorkers {

  /** Items any {@link Square} actor of this JVM has handled, for tests that check work stopped. */
  public static final AtomicLong HANDLED = new AtomicLong();
  /** Items {@code slowOnce} already delayed: each is slow the first time only. */
  static final Set<Long> SLOWED = ConcurrentHashMap.newKeySet();
  static final AtomicLong SLOW_ONCE_CALLS = new AtomicLong();

  private TestWorkers() {
  }

  public static class Square extends Actor {
    @Override
    public Future<?> start() {
      // n -> n * n
      on("square", req -> {
        HANDLED.incrementAndGet();
        long n = ((Number) req.body()).longValue();
        req.reply(n * n);
      });
      // n -> n * n; a negative n fails with 400, the string "boom" makes the handler throw
      on("check", req -> {
        Object b = req.body();
        if ("boom".equals(b)) {
          throw new IllegalStateException("boom at item " + req.id());
        }
        long n = ((Number) b).longValue();
        if (n < 0) {
          req.fail(ErrorCode.BAD_REQUEST, "negative input " + n);
        } else {
          req.reply(n * n);
        }
      });
      // n -> [n * n, node]: which node computed it; every 100th item waits 5 ms, so a big job takes a while
      on("where", req -> {
        long n = ((Number) req.body()).longValue();
        JsonArray out = new JsonArray().add(n * n).add(beach().nodeId());
        if (n % 100 == 0) {
          after(5, t -> req.reply(out));
        } else {
          req.reply(out);
        }
      });
      // {ms} or n: replies n * n after a delay (params.delayMs, default 20 ms)
      on("slow", req -> {
        HANDLED.incrementAndGet();
        long n = ((Number) req.body()).longValue();
        after(params().getLong("delayMs", 20L), t -> req.reply(n * n));
      });
      // n -> n * n, but item 7 takes 1.5 s the first time it is seen in this JVM
      on("slowOnce", req -> {
        SLOW_ONCE_CALLS.incrementAndGet();
        long n = ((Number) req.body()).longValue();
        if (n == 7 && SLOWED.add(n)) {
          after(1500, t -> req.reply(n * n));
        } else {
          req.reply(n * n);
        }
      });
      // n -> [n * n, actor id] after 10 ms: which worker computed it
      on("slowWho", req -> {
        long n = ((Number) req.body()).longValue();
        after(10, t -> req.reply(new JsonArray().add(n * n).add(id())));
      });
      on("whoami", req -> req.reply(id()));
      return super.start();
    }
  }

  /** Handles no op a job asks for. */
  public static class Idle extends Actor {
    @Override
    public Future<?> start() {
      on("nothing", req -> req.reply(null));
      return super.start();
    }
  }
}
