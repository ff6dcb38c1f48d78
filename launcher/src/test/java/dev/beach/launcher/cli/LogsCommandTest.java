package dev.beach.launcher.cli;

import dev.beach.Actor;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code beach logs}: an actor's or a category's lines, filters, --json, --follow, and errors. */
class LogsCommandTest {

  private static final String TALKER = Talker.class.getName();
  private static LiveGateway live;
  private static String actor;

  /** Logs the text of a "say" request at its level. */
  public static class Talker extends Actor {
    @Override
    public Future<?> start() {
      on("say", req -> {
        JsonObject b = req.json();
        if ("warn".equals(b.getString("level"))) {
          log().warn("{}", b.getString("text"));
        } else {
          log().info("{}", b.getString("text"));
        }
        req.reply(null);
      });
      return super.start();
    }
  }

  @BeforeAll
  static void start() {
    live = LiveGateway.start("logs-cli-token");
    LiveGateway.Result r = live.run("deploy", TALKER, "-r", "logs", "-c", "talk.a", "--json");
    assertEquals(0, r.code, r.toString());
    actor = new JsonObject(r.out).getJsonArray("ids").getString(0);
    assertEquals(0, live.run("deploy", TALKER, "-r", "logs", "-c", "talk.b").code);
  }

  @AfterAll
  static void stop() {
    live.close();
  }

  private static LiveGateway.Result ok(String... args) {
    LiveGateway.Result r = live.run("logs", args);
    assertEquals(0, r.code, r.toString());
    return r;
  }

  private static void say(String category, String level, String text) {
    LiveGateway.Result r = live.run("request", category, "say",
      new JsonObject().put("level", level).put("text", text).encode(), "-r", "logs");
    assertEquals(0, r.code, r.toString());
  }

  @Test
  void anActorsLinesOneAPerLine() {
    say("talk.a", "info", "hello from a");
    say("talk.a", "warn", "careful");
    String out = ok(actor, "-r", "logs").out;
    String[] lines = out.split("\n");
    assertTrue(lines[0].matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  " + actor + "  started"), out);
    assertTrue(out.contains("INFO  " + actor + "  hello from a"), out);
    assertTrue(out.contains("WARN  " + actor + "  careful"), out);
    String warn = ok(actor, "-r", "logs", "--level", "warn").out;
    assertFalse(warn.contains("hello from a"), warn);
    assertTrue(warn.contains("careful"), warn);
    assertEquals(1, ok(actor, "-r", "logs", "-n", "1").out.split("\n").length);
    assertTrue(ok(actor, "-r", "logs", "--since", "1h").out.contains("careful"));
  }

  @Test
  void aCategoryTagsEachLineWithItsActorAndJsonIsThePage() {
    say("talk.a", "info", "category line a");
    say("talk.b", "info", "category line b");
    String out = ok("talk", "-r", "logs").out;
    assertTrue(out.contains("category line a") && out.contains("category line b"), out);
    JsonObject page = new JsonObject(ok("talk", "-r", "logs", "--json").out);
    assertTrue(page.getJsonArray("lines").size() >= 4, page.encode());
    assertTrue(page.getJsonObject("cursor").containsKey(live.node.id()));
  }

  @Test
  void badInputExitsNonZeroWithTheGatewaysMessage() {
    LiveGateway.Result r = live.run("logs", actor, "-r", "logs", "--level", "loud");
    assertEquals(1, r.code, r.toString());
    assertTrue(r.err.contains("error 400") && r.err.contains("TRACE, DEBUG, INFO, WARN, ERROR"), r.err);
    r = live.run("logs", actor, "-r", "logs", "--since", "-5");
    assertEquals(1, r.code);
    assertTrue(r.err.contains("'since'"), r.err);
    r = live.run("logs", "talk", "-r", "nosuchrealm");
    assertEquals(1, r.code);
    assertTrue(r.err.contains("error 404"), r.err);
    assertEquals(2, live.run("logs").code, "no name is a usage error");
  }

  @Test
  void followPrintsNewLinesUntilTheStreamEnds() throws Exception {
    try (LiveGateway other = LiveGateway.start(null)) {
      LiveGateway.Result d = other.run("deploy", TALKER, "-r", "logs", "-c", "followed", "--json");
      String id = new JsonObject(d.out).getJsonArray("ids").getString(0);
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      AtomicInteger code = new AtomicInteger(-1);
      Thread follower = new Thread(() -> code.set(ClientCli.run(new PrintWriter(out, true), new PrintWriter(err, true),
        "logs", id, "-r", "logs", "--follow", "--url", other.url)));
      follower.start();
      waitFor(() -> out.toString().contains("started"), "the recent lines come first: " + out + err);
      assertEquals(0, other.run("request", "followed", "say", "{\"text\":\"live line\"}", "-r", "logs").code);
      waitFor(() -> out.toString().contains("INFO  " + id + "  live line"), "a new line is printed: " + out + err);
      assertTrue(follower.isAlive(), "still following");
      other.gateway.close().toCompletionStage().toCompletableFuture().get();
      follower.join(10_000);
      assertFalse(follower.isAlive());
      assertEquals(0, code.get(), err.toString());
    }
  }

  private static void waitFor(java.util.function.BooleanSupplier done, String what) throws InterruptedException {
    long until = System.currentTimeMillis() + 10_000;
    while (!done.getAsBoolean()) {
      assertTrue(System.currentTimeMillis() < until, what);
      Thread.sleep(50);
    }
  }
}
