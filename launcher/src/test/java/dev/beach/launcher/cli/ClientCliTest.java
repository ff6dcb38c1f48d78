package dev.beach.launcher.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The client commands against a live in-JVM node: tables, --json, errors and exit codes. */
class ClientCliTest {

  private static final String ECHO = CliTestActors.Echo.class.getName();
  private static LiveGateway live;

  @BeforeAll
  static void start() {
    live = LiveGateway.start("cli-admin-token");
    LiveGateway.Result r = live.run("deploy", ECHO, "--realm", "test", "-c", "echo", "-n", "2");
    assertEquals(0, r.code, r.toString());
  }

  @AfterAll
  static void stop() {
    live.close();
  }

  private static LiveGateway.Result ok(String command, String... args) {
    LiveGateway.Result r = live.run(command, args);
    assertEquals(0, r.code, r.toString());
    assertEquals("", r.err, r.toString());
    return r;
  }

  private static LiveGateway.Result fails(String command, String... args) {
    LiveGateway.Result r = live.run(command, args);
    assertEquals(1, r.code, r.toString());
    assertTrue(r.err.startsWith("beach: "), r.toString());
    return r;
  }

  @Test
  void statusSummarisesTheCluster() {
    LiveGateway.Result r = ok("status");
    assertTrue(r.out.contains("on node " + live.node.id()), r.out);
    assertTrue(r.out.contains("1 node,"), r.out);
    assertTrue(r.out.contains("NODE"), r.out);
    JsonObject json = new JsonObject(ok("status", "--json").out);
    assertEquals("UP", json.getJsonObject("health").getString("status"));
  }

  @Test
  void nodesAsTableAndJson() {
    LiveGateway.Result r = ok("nodes");
    String[] lines = r.out.split("\n");
    assertTrue(lines[0].startsWith("NODE") && lines[0].contains("ACTORS"), r.out);
    assertTrue(lines[1].startsWith(live.node.id()), r.out);
    JsonArray json = new JsonArray(ok("nodes", "--json").out);
    assertEquals(live.node.id(), json.getJsonObject(0).getString("id"));
  }

  @Test
  void realmsAsTableAndJson() {
    assertTrue(ok("realms").out.lines().anyMatch(l -> l.startsWith("test ")), ok("realms").out);
    JsonArray json = new JsonArray(ok("realms", "--json").out);
    assertTrue(json.stream().anyMatch(r -> "test".equals(((JsonObject) r).getString("name"))));
  }

  @Test
  void actorsListsEveryRealmOrOne() {
    LiveGateway.Result r = ok("actors", "--realm", "test", "--category", "echo");
    assertTrue(r.out.startsWith("ACTOR"), r.out);
    assertTrue(r.out.contains(ECHO), r.out);
    assertTrue(r.out.trim().endsWith("2 actors"), r.out);
    JsonArray json = new JsonArray(ok("actors", "--json").out);
    assertTrue(json.size() >= 2);
    assertEquals("test", json.getJsonObject(0).getString("realm"));
  }

  @Test
  void requestPrintsTheReply() {
    JsonObject reply = new JsonObject(ok("request", "echo", "echo", "{\"a\":1}", "--realm", "test").out);
    assertEquals(1, reply.getInteger("a"));
    assertTrue(reply.getString("actor").length() > 0);
    assertEquals("\"hi\"", ok("request", "echo", "echo", "\"hi\"", "--realm", "test", "--key", "k1").out.trim());
  }

  @Test
  void bodyFromAFile(@TempDir Path dir) throws Exception {
    Path body = dir.resolve("body.json");
    Files.writeString(body, "{\"from\":\"file\"}");
    assertEquals("file", new JsonObject(ok("request", "echo", "echo", "@" + body, "-r", "test").out).getString("from"));
  }

  @Test
  void shootBroadcastAndAll() {
    assertEquals("sent", ok("shoot", "echo", "echo", "{}", "-r", "test").out.trim());
    assertEquals("sent to 2 actors", ok("broadcast", "echo", "echo", "{}", "-r", "test").out.trim());
    LiveGateway.Result all = ok("all", "echo", "echo", "{\"x\":1}", "-r", "test");
    assertTrue(all.out.startsWith("ACTOR"), all.out);
    assertEquals(3, all.out.trim().split("\n").length, all.out);
    assertTrue(all.out.contains("yes"), all.out);
    assertEquals(2, new JsonObject(ok("all", "echo", "echo", "{}", "-r", "test", "--json").out).getJsonArray("replies").size());
  }

  @Test
  void deployWithParamsThenStopByIdAndByCategory() {
    LiveGateway.Result d = ok("deploy", ECHO, "-r", "test", "-c", "temp", "-n", "3", "-p", "size=3", "-p", "_secret=s3",
      "-p", "name=x", "--json");
    JsonArray ids = new JsonObject(d.out).getJsonArray("ids");
    assertEquals(3, ids.size());
    JsonObject params = new JsonObject(ok("request", "temp", "params", "-r", "test").out);
    assertEquals(3, params.getInteger("size"));
    assertEquals("x", params.getString("name"));
    assertTrue(params.getBoolean("hasSecret"));
    assertFalse(ok("actors", "-r", "test", "--json").out.contains("s3"));
    assertEquals("stopped " + ids.getString(0), ok("stop", ids.getString(0), "-r", "test").out.trim());
    assertEquals("stopped 2 actors", ok("stop", "-r", "test", "-c", "temp").out.trim());
  }

  @Test
  void pushAndRestart(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("Pushed.java");
    Files.writeString(file, "public class Pushed extends dev.beach.Actor {}\n");
    assertEquals("pushed Pushed.java (47 bytes) to realm pushed", ok("push", file.toString(), "-r", "pushed").out.trim());
    ok("deploy", ECHO, "-r", "test", "-c", "rolling", "-n", "2");
    assertEquals("restarted 2 actors", ok("restart", "-r", "test", "-c", "rolling").out.trim());
    ok("stop", "-r", "test", "-c", "rolling");
  }

  @Test
  void failuresExitNonZeroWithTheGatewaysMessage() {
    assertTrue(fails("request", "empty", "echo", "-r", "test").err.contains("error 503"));
    assertTrue(fails("request", "echo", "nosuchop", "-r", "test").err.contains("error 404"));
    assertTrue(fails("actors", "--realm", "BAD").err.contains("[a-z0-9][a-z0-9_-]{0,62}"));
    assertTrue(fails("request", "echo", "echo", "{not json", "-r", "test").err.contains("not JSON"));
    assertTrue(fails("deploy", "no.such.Actor", "-c", "x").err.contains("error 404"));
    assertTrue(fails("stop", "-r", "test").err.contains("ids or --category"));
    assertTrue(fails("push", "/no/such/file.java").err.contains("no such file"));
  }

  @Test
  void destructiveCommandsNeedConfirm() {
    assertTrue(fails("flush").err.contains("--confirm"));
    assertTrue(fails("shutdown", "--all").err.contains("--confirm"));
    assertTrue(fails("shutdown", "--node", "nosuchnode", "--confirm").err.contains("error 404"));
    assertEquals(2, live.run("shutdown", "--confirm").code, "neither --node nor --all is a usage error");
  }

  @Test
  void aWrongTokenOrNoGatewayIsAClearError() {
    LiveGateway.Result r = LiveGateway.runRaw("nodes", "--url", live.url, "--token", "wrong");
    assertEquals(1, r.code);
    assertTrue(r.err.contains("error 401"), r.err);
    r = LiveGateway.runRaw("nodes", "--url", "http://127.0.0.1:1");
    assertEquals(1, r.code);
    assertTrue(r.err.contains("cannot reach the gateway at http://127.0.0.1:1"), r.err);
  }

  @Test
  void flushStopsEverythingWithConfirm() {
    try (LiveGateway other = LiveGateway.start(null)) {
      assertEquals(0, other.run("deploy", ECHO, "-c", "doomed", "-n", "2").code);
      LiveGateway.Result r = other.run("flush", "--confirm");
      assertEquals(0, r.code, r.toString());
      assertEquals("stopped 2 actors", r.out.trim());
      assertEquals(List.of(), new JsonArray(other.run("actors", "--json").out).getList());
    }
  }
}
