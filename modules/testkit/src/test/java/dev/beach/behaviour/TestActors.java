package dev.beach.behaviour;

import dev.beach.Actor;
import dev.beach.ErrorCode;
import dev.beach.ReplyStream;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Small actors the behaviour suite deploys by class name. */
public final class TestActors {

  private TestActors() {
  }

  /** Replies with its body, its id and its node; "whoami" tells who answered. */
  public static class Echo extends Actor {
    private final java.util.Map<String, Integer> seen = new java.util.HashMap<>();

    @Override
    public Future<?> start() {
      // Ignores a request id the first time, answers how often it saw it after that: shows retries reuse ids.
      on("once", req -> {
        int n = seen.merge(req.id(), 1, Integer::sum);
        if (n > 1) {
          req.reply(new JsonObject().put("seen", n).put("id", req.id()));
        }
      });
      on("echo", req -> req.reply(req.json().copy().put("actor", id())));
      on("whoami", req -> req.reply(new JsonObject().put("actor", id()).put("node", beach().nodeId())
        .put("params", params()).put("requestId", req.id())));
      on("fail", req -> req.fail(ErrorCode.CONFLICT, "asked to fail"));
      on("boom", req -> {
        throw new IllegalStateException("boom in " + id());
      });
      on("slow", req -> after(req.json().getLong("ms", 100L), t -> req.reply(new JsonObject().put("actor", id()))));
      on("never", req -> { });
      on("hold", req -> Gate.of(req.json().getString("gate"), beach().nodeId()).hold(req.id(), () -> req.reply(
        new JsonObject().put("actor", id()).put("node", beach().nodeId()).put("requestId", req.id()))));
      on("size", req -> req.reply(((io.vertx.core.buffer.Buffer) req.body()).length()));
      on("count", req -> req.reply(new JsonObject().put("actor", id()).put("processed", stats().processed())));
      on("square", req -> {
        long x = ((Number) req.body()).longValue();
        if (x < 0) {
          req.fail(ErrorCode.BAD_REQUEST, "negative: " + x);
        } else {
          req.reply(x * x);
        }
      });
      on("slowSquare", req -> {
        long x = ((Number) req.body()).longValue();
        after(1, t -> {
          if (x < 0) {
            req.fail(ErrorCode.BAD_REQUEST, "negative: " + x);
          } else {
            req.reply(x * x);
          }
        });
      });
      return super.start();
    }
  }

  /**
   * Where {@code hold} requests wait, one gate per name and node, until the test opens it: a handler that stays
   * busy exactly as long as the test wants, however slow the machine. Nodes of a test cluster share this JVM.
   */
  public static final class Gate {
    private static final Map<String, Gate> GATES = new ConcurrentHashMap<>();
    private final Set<String> ids = ConcurrentHashMap.newKeySet();
    private final List<Runnable> waiting = new ArrayList<>();
    private boolean open;

    private Gate() {
    }

    public static Gate of(String name, String nodeId) {
      return GATES.computeIfAbsent(name + "@" + nodeId, k -> new Gate());
    }

    void hold(String requestId, Runnable release) {
      ids.add(requestId);
      synchronized (this) {
        if (!open) {
          waiting.add(release);
          return;
        }
      }
      release.run();
    }

    /** Ids of the requests that reached this gate, held or let through. */
    public Set<String> ids() {
      return Set.copyOf(ids);
    }

    /** Lets the waiting requests through, and every later one at once. */
    public void open() {
      List<Runnable> released;
      synchronized (this) {
        open = true;
        released = new ArrayList<>(waiting);
        waiting.clear();
      }
      released.forEach(Runnable::run);
    }
  }

  /** Counts what it is told; answers its count. */
  public static class Counter extends Actor {
    private long count;

    @Override
    public Future<?> start() {
      on("add", req -> {
        count += req.json().getLong("n", 1L);
        req.reply(new JsonObject().put("actor", id()).put("count", count));
      });
      on("get", req -> req.reply(new JsonObject().put("actor", id()).put("count", count)));
      return super.start();
    }
  }

  /** Fails every request of op "work" when its parameter "broken" is true. */
  public static class Flaky extends Actor {
    @Override
    public Future<?> start() {
      boolean broken = params().getBoolean("broken", false);
      on("work", req -> {
        if (broken) {
          throw new IllegalArgumentException("broken on purpose");
        }
        req.reply(new JsonObject().put("actor", id()));
      });
      return super.start();
    }
  }

  /**
   * Streams {@code n} numbered items, honouring back-pressure. With a {@code tag}, counts the items it wrote and
   * the times it found the write queue full (a stall: it waits for the reader's credit) under that tag.
   */
  public static class Streamer extends Actor {
    static final Map<String, AtomicInteger> WRITTEN = new ConcurrentHashMap<>();
    static final Map<String, AtomicInteger> STALLS = new ConcurrentHashMap<>();

    static int written(String tag) {
      return WRITTEN.computeIfAbsent(tag, k -> new AtomicInteger()).get();
    }

    static int stalls(String tag) {
      return STALLS.computeIfAbsent(tag, k -> new AtomicInteger()).get();
    }

    @Override
    public Future<?> start() {
      on("count", req -> {
        int n = req.json().getInteger("n", 10);
        String tag = req.json().getString("tag", "");
        ReplyStream out = req.stream();
        writeFrom(out, 0, n, tag);
      });
      // Opens the stream and writes nothing: a test plays the producer's part with frames of its own.
      on("silent", req -> req.stream());
      on("failing", req -> {
        ReplyStream out = req.stream();
        out.write(new JsonObject().put("i", 0));
        out.fail(new IllegalStateException("stream broke"));
      });
      on("plain", req -> req.reply(new JsonObject().put("single", true)));
      return super.start();
    }

    private void writeFrom(ReplyStream out, int from, int n, String tag) {
      AtomicInteger written = WRITTEN.computeIfAbsent(tag, k -> new AtomicInteger());
      int i = from;
      while (i < n && !out.writeQueueFull()) {
        out.write(new JsonObject().put("i", i++));
        written.incrementAndGet();
      }
      if (i >= n) {
        out.end();
      } else {
        STALLS.computeIfAbsent(tag, k -> new AtomicInteger()).incrementAndGet();
        int next = i;
        out.drainHandler(v -> writeFrom(out, next, n, tag));
      }
    }
  }

  /** Calls another category and reports whether its continuation ran on its own context. */
  public static class Relay extends Actor {
    @Override
    public Future<?> start() {
      on("relay", req -> {
        io.vertx.core.Context mine = context;
        String target = req.json().getString("target");
        handle(target).request("whoami", null).onComplete(ar -> req.reply(new JsonObject()
          .put("ok", ar.succeeded()).put("sameContext", io.vertx.core.Vertx.currentContext() == mine)));
      });
      on("relayAll", req -> {
        io.vertx.core.Context mine = context;
        handle(req.json().getString("target")).requestAll("whoami", null).onComplete(ar -> req.reply(new JsonObject()
          .put("ok", ar.succeeded()).put("sameContext", io.vertx.core.Vertx.currentContext() == mine)));
      });
      on("relayActors", req -> {
        io.vertx.core.Context mine = context;
        beach().actors(realm(), req.json().getString("target")).onComplete(ar -> req.reply(new JsonObject()
          .put("ok", ar.succeeded()).put("sameContext", io.vertx.core.Vertx.currentContext() == mine)));
      });
      return super.start();
    }
  }

  /** Does not start. */
  public static class Broken extends Actor {
    @Override
    public Future<?> start() {
      return Future.failedFuture(new IllegalStateException("cannot start"));
    }
  }
}
