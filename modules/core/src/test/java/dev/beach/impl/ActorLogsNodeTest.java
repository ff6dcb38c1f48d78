package dev.beach.impl;

import dev.beach.Actor;
import dev.beach.ActorSpec;
import dev.beach.BeachException;
import dev.beach.BeachNode;
import dev.beach.ErrorCode;
import dev.beach.HandleOptions;
import dev.beach.LogLine;
import dev.beach.LogPage;
import dev.beach.LogQuery;
import dev.beach.NodeOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Actor logs through a running node and {@code Beach.logs}: what is kept, the runtime's lines, follow, a flood. */
class ActorLogsNodeTest {

  private static final String REALM = "logs";
  private static Vertx vertx;
  private static BeachNode node;

  /** Logs what it is told; "fail" throws; "flood" logs in a tight loop on a worker thread for a while. */
  public static class Talker extends Actor {
    @Override
    public Future<?> start() {
      on("say", req -> {
        JsonObject b = req.json();
        switch (b.getString("level", "info")) {
          case "debug" -> log().debug("{}", b.getString("text"));
          case "warn" -> log().warn("{}", b.getString("text"));
          case "error" -> log().error("{}", b.getString("text"));
          default -> log().info("{}", b.getString("text"));
        }
        req.reply(null);
      });
      on("fail", req -> {
        throw new IllegalStateException("broken on purpose");
      });
      on("flood", req -> {
        long until = System.currentTimeMillis() + req.json().getLong("ms");
        // Off the event loop: the test is about what logging costs the node, not about a blocked loop.
        vertx.executeBlocking(() -> {
          long n = 0;
          while (System.currentTimeMillis() < until) {
            log().info("flood line {} {}", n++, "y".repeat(2000));
          }
          return n;
        }).onComplete(ar -> req.reply(ar.result()));
      });
      on("ping", req -> req.reply("pong"));
      return super.start();
    }
  }

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    node = await(BeachNode.start(vertx, new NodeOptions().setLogLines(20).setLogLinesPerSecond(50)
      .setRequestTimeoutMs(10_000)));
  }

  @AfterAll
  static void stop() throws Exception {
    await(node.close());
    await(vertx.close());
  }

  private static <T> T await(Future<T> f) throws Exception {
    try {
      return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
    }
  }

  private static String deploy(String category) throws Exception {
    return await(node.beach().deploy(ActorSpec.of(REALM, Talker.class, category))).get(0);
  }

  private static void say(String category, String level, String text) throws Exception {
    await(node.beach().handle(REALM, category).request("say", new JsonObject().put("level", level).put("text", text)));
  }

  private static List<String> messages(LogPage page) {
    return page.lines().stream().map(LogLine::message).collect(Collectors.toList());
  }

  @Test
  void anActorsLinesAreKeptWithTheRuntimesAndFilteredByLevel() throws Exception {
    String id = deploy("talk.one");
    say("talk.one", "info", "hello");
    say("talk.one", "warn", "careful");
    assertThrows(BeachException.class, () -> await(node.beach().handle(REALM, "talk.one",
      new HandleOptions().setRetries(0)).request("fail", new JsonObject())));
    LogPage page = await(node.beach().logs(REALM, new LogQuery().setActor(id)));
    assertEquals(List.of("started", "hello", "careful", "op 'fail' failed: IllegalStateException: broken on purpose"),
      messages(page));
    assertTrue(page.lines().stream().allMatch(l -> l.actor().equals(id) && l.node().equals(node.id())
      && l.realm().equals(REALM)));
    assertEquals("ERROR", page.lines().get(3).level());
    assertEquals(List.of("careful", "op 'fail' failed: IllegalStateException: broken on purpose"),
      messages(await(node.beach().logs(REALM, new LogQuery().setActor(id).setLevel("warn")))));
  }

  @Test
  void aCategoryMergesItsActorsLinesTaggedWithTheirActor() throws Exception {
    String a = deploy("team.a");
    String b = deploy("team.b");
    say("team.a", "info", "from a");
    say("team.b", "info", "from b");
    LogPage page = await(node.beach().logs(REALM, new LogQuery().setCategory("team")));
    List<String> tagged = page.lines().stream().filter(l -> !l.message().equals("started"))
      .map(l -> l.actor() + ":" + l.message()).collect(Collectors.toList());
    assertEquals(List.of(a + ":from a", b + ":from b"), tagged);
  }

  @Test
  void aStoppedActorsLinesStayReadableAndAnUnknownOneIs404() throws Exception {
    String id = deploy("brief");
    say("brief", "info", "last words");
    await(node.beach().stop(id));
    assertEquals(List.of("started", "last words", "stopped"),
      messages(await(node.beach().logs(REALM, new LogQuery().setActor(id)))));
    BeachException e = assertThrows(BeachException.class,
      () -> await(node.beach().logs(REALM, new LogQuery().setActor("nosuchactor"))));
    assertEquals(ErrorCode.NOT_FOUND, e.code());
    e = assertThrows(BeachException.class, () -> await(node.beach().logs("other", new LogQuery().setActor(id))));
    assertEquals(ErrorCode.NOT_FOUND, e.code(), "another realm does not see the actor");
    e = assertThrows(BeachException.class, () -> await(node.beach().logs(REALM, new LogQuery().setActor(id).setLevel("LOUD"))));
    assertEquals(ErrorCode.BAD_REQUEST, e.code());
    assertTrue(e.getMessage().contains("TRACE, DEBUG, INFO, WARN, ERROR"), e.getMessage());
  }

  @Test
  void aRestartSaysWhatReplacedTheActor() throws Exception {
    String id = deploy("rolling");
    await(node.beach().restart(REALM, "rolling"));
    String fresh = node.beach().directory(REALM, "rolling").get(0).id();
    assertEquals(List.of("started", "restarted: replaced by " + fresh, "stopped"),
      messages(await(node.beach().logs(REALM, new LogQuery().setActor(id)))));
  }

  @Test
  void aFollowerReadsOnFromTheCursor() throws Exception {
    String id = deploy("follow");
    say("follow", "info", "before");
    LogPage first = await(node.beach().logs(REALM, new LogQuery().setCategory("follow")));
    assertEquals(List.of("started", "before"), messages(first));
    LogPage none = await(node.beach().logs(REALM, new LogQuery().setCategory("follow").setCursor(first.cursor())));
    assertEquals(List.of(), none.lines());
    say("follow", "info", "after 1");
    say("follow", "info", "after 2");
    LogPage next = await(node.beach().logs(REALM, new LogQuery().setCategory("follow").setCursor(none.cursor())));
    assertEquals(List.of("after 1", "after 2"), messages(next));
    assertEquals(id, next.lines().get(0).actor());
    assertEquals(LogPage.fromJson(next.toJson()).toJson(), next.toJson());
  }

  @Test
  void aFloodingActorStaysWithinItsRingAndTheNodeKeepsAnswering() throws Exception {
    String id = deploy("flood");
    deploy("calm");
    Future<Object> flood = node.beach().handle(REALM, "flood", new HandleOptions().setTimeoutMs(20_000).setRetries(0))
      .request("flood", new JsonObject().put("ms", 2500));
    Thread.sleep(200);
    for (int i = 0; i < 20; i++) {
      long t0 = System.nanoTime();
      assertEquals("pong", await(node.beach().handle(REALM, "calm").request("ping", new JsonObject())));
      assertTrue((System.nanoTime() - t0) / 1_000_000 < 1000, "another actor answers promptly during the flood");
      LogPage page = await(node.beach().logs(REALM, new LogQuery().setActor(id)));
      assertTrue(page.lines().size() <= 20, page.lines().size() + " lines kept");
      Thread.sleep(50);
    }
    long written = ((Number) await(flood)).longValue();
    Thread.sleep(1100);
    LogPage page = await(node.beach().logs(REALM, new LogQuery().setActor(id)));
    assertTrue(page.lines().size() <= 20, page.lines().size() + " lines kept");
    assertTrue(written > 1000, "the actor wrote " + written + " lines");
    assertTrue(page.dropped() >= written - 4 * 50, page.dropped() + " of " + written + " dropped");
    assertTrue(page.lines().stream().allMatch(l -> l.message().length() <= NodeOptions.DEFAULT_LOG_LINE_BYTES));
    assertTrue(page.lines().stream().anyMatch(l -> l.message().contains("lines dropped")), messages(page).toString());
    assertInstanceOf(String.class, await(node.beach().handle(REALM, "calm").request("ping", new JsonObject())));
  }
}
