package dev.beach.impl.client;

import dev.beach.Actor;
import dev.beach.ActorSpec;
import dev.beach.BeachNode;
import dev.beach.NodeOptions;
import dev.beach.Placement;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A request from an event loop that hosts an idle, quick actor of the category goes to that actor, answered on the
 * caller's own thread; a slow actor, or a call made inside an actor's handler, keeps the random pick.
 */
class InlineChoiceTest {

  private static final String REALM = "inline";
  private static final int REQUESTS = 30;
  private static Vertx vertx;
  private static BeachNode node;

  /** Answers with the thread it ran on; "slow" first spins for 300 µs, past the inline bound. */
  public static class Where extends Actor {
    @Override
    public Future<?> start() {
      on("where", req -> req.reply(Thread.currentThread().getName()));
      on("slow", req -> {
        long until = System.nanoTime() + 300_000;
        while (System.nanoTime() < until) {
          Thread.onSpinWait();
        }
        req.reply(Thread.currentThread().getName());
      });
      return super.start();
    }
  }

  /**
   * Sends {@code n} requests to {@code target} at once, from a timer (outside any handler) or from inside its
   * handler, and answers with its own thread and the threads that answered.
   */
  public static class Caller extends Actor {
    @Override
    public Future<?> start() {
      on("fanout", req -> {
        JsonObject b = req.json();
        Runnable send = () -> {
          List<Future<Object>> all = new ArrayList<>();
          for (int i = 0; i < b.getInteger("n"); i++) {
            all.add(handle(b.getString("target")).request(b.getString("op"), null));
          }
          String caller = Thread.currentThread().getName();
          Future.all(all).onComplete(ar -> {
            JsonArray threads = new JsonArray();
            all.forEach(f -> threads.add(f.result()));
            req.reply(new JsonObject().put("caller", caller).put("threads", threads));
          });
        };
        if (b.getBoolean("inHandler")) {
          send.run();
        } else {
          after(1, t -> send.run());
        }
      });
      return super.start();
    }
  }

  @BeforeAll
  static void start() throws Exception {
    // Two event loops and six actors per category: both loops host some, whichever loop the caller gets.
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    node = await(BeachNode.start(vertx, new NodeOptions()));
    for (String category : List.of("where", "slow")) {
      await(node.beach().deploy(ActorSpec.of(REALM, Where.class, category).setInstances(6).setPlacement(Placement.local())));
    }
    await(node.beach().deploy(ActorSpec.of(REALM, Caller.class, "caller").setPlacement(Placement.local())));
  }

  @AfterAll
  static void stop() throws Exception {
    await(node.close());
    await(vertx.close());
  }

  @Test
  void aQuickIdleActorOnTheCallersLoopAnswersEveryRequest() throws Exception {
    JsonObject r = fanout("where", "where", false);
    assertEquals(Set.of(r.getString("caller")), threads(r), "every request answered on the caller's thread: " + r);
  }

  @Test
  void aSlowActorIsNotPulledOntoTheCallersLoop() throws Exception {
    JsonObject r = fanout("slow", "slow", false);
    assertTrue(threads(r).size() > 1, "the work spread over both loops: " + r);
  }

  @Test
  void aCallFromInsideAHandlerKeepsTheRandomPick() throws Exception {
    JsonObject r = fanout("where", "where", true);
    assertTrue(threads(r).size() > 1, "random over both loops: " + r);
  }

  private static JsonObject fanout(String category, String op, boolean inHandler) throws Exception {
    JsonObject r = await(node.beach().handle(REALM, "caller").request("fanout", new JsonObject().put("target", category)
      .put("op", op).put("n", REQUESTS).put("inHandler", inHandler)));
    // The precondition of every case: the caller's loop hosts some of the category's actors.
    Set<String> hosts = new HashSet<>();
    for (int i = 0; i < 60; i++) {
      hosts.add(await(node.beach().handle(REALM, category).request("where", null)));
    }
    assertTrue(hosts.contains(r.getString("caller")), "an actor lives on the caller's loop " + r.getString("caller")
      + ": " + hosts);
    return r;
  }

  private static Set<String> threads(JsonObject r) {
    Set<String> out = new HashSet<>();
    r.getJsonArray("threads").forEach(t -> out.add((String) t));
    return out;
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
