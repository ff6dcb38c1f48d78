package dev.beach.launcher.cli;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code beach shell} driven through standard input, and its completion and word splitting. */
class ShellTest {

  private static final String ECHO = CliTestActors.Echo.class.getName();
  private static LiveGateway live;

  @BeforeAll
  static void start() {
    live = LiveGateway.start(null);
    assertEquals(0, live.run("deploy", ECHO, "-r", "shelltest", "-c", "echo", "-c", "echo.deep", "-n", "2").code);
  }

  @AfterAll
  static void stop() {
    live.close();
  }

  private static LiveGateway.Result shell(String script, String... args) {
    InputStream saved = System.in;
    System.setIn(new ByteArrayInputStream(script.getBytes(StandardCharsets.UTF_8)));
    try {
      return live.run("shell", args);
    } finally {
      System.setIn(saved);
    }
  }

  @Test
  void aScriptRunsCommandsInTheCurrentRealm() {
    LiveGateway.Result r = shell(String.join("\n",
      "realm",
      "# a comment",
      "realm shelltest",
      "actors",
      "request echo echo '{\"said\": \"hello there\"}'",
      "request echo echo {\"bare\": \"json, no quotes\"}",
      "all echo echo",
      "realms --json",
      "history",
      "exit",
      "nodes"));
    assertEquals(0, r.code, r.toString());
    assertTrue(r.out.startsWith("global\nrealm shelltest\n"), r.out);
    assertTrue(r.out.contains("2 actors"), r.out);
    assertTrue(r.out.contains("\"said\" : \"hello there\""), r.out);
    assertTrue(r.out.contains("\"bare\" : \"json, no quotes\""), r.out);
    assertTrue(r.out.contains("\"name\" : \"shelltest\""), r.out);
    assertTrue(r.out.contains("   2  realm shelltest"), r.out);
    assertTrue(!r.out.contains("HOST"), "commands after exit ran: " + r.out);
  }

  @Test
  void helpListsCommandsAndOptions() {
    LiveGateway.Result r = shell("help\nhelp deploy\n");
    assertEquals(0, r.code, r.toString());
    for (String c : List.of("status", "nodes", "realms", "actors", "deploy", "stop", "request", "shoot", "broadcast", "all",
      "push", "restart", "logs", "flush", "shutdown", "realm X", "history", "exit")) {
      assertTrue(r.out.contains("  " + c), c + " missing from help:\n" + r.out);
    }
    assertTrue(r.out.contains("--instances"), r.out);
  }

  @Test
  void failedCommandsMakeAScriptExitNonZeroButTheShellGoesOn() {
    LiveGateway.Result r = shell("bogus\nrequest empty echo\nrealm BAD\nrequest echo echo '{\"a\":1}' -r shelltest\n");
    assertEquals(1, r.code, r.toString());
    assertTrue(r.err.contains("Unmatched argument") || r.err.contains("bogus"), r.err);
    assertTrue(r.err.contains("error 503"), r.err);
    assertTrue(r.err.contains("invalid realm 'BAD'"), r.err);
    assertTrue(r.out.contains("\"a\" : 1"), "the shell stopped after a failure: " + r.out);
  }

  @Test
  void theShellStartsInTheRealmItIsGiven() {
    LiveGateway.Result r = shell("realm\n", "--realm", "shelltest");
    assertEquals("shelltest", r.out.trim());
  }

  @Test
  void completionOffersCommandsRealmsAndCategories() {
    Session s = new Session(new GatewayClient(live.url, null), false, "shelltest");
    ShellCompletion c = new ShellCompletion(s, List.of("realm", "request", "realms", "help"));
    assertEquals(List.of("help", "realm", "realms", "request"), c.candidates(List.of(""), 0));
    assertTrue(c.candidates(List.of("realm", ""), 1).contains("shelltest"));
    assertEquals(List.of("echo", "echo.deep"), c.candidates(List.of("request", ""), 1));
    assertEquals(List.of("echo", "echo.deep"), c.candidates(List.of("actors", "--category", ""), 2));
    assertTrue(c.candidates(List.of("deploy", "--realm", ""), 2).contains("shelltest"));
    assertEquals(List.of(), c.candidates(List.of("request", "echo", ""), 2));
    Session down = new Session(new GatewayClient("http://127.0.0.1:1", null), false, "x");
    assertEquals(List.of(), new ShellCompletion(down, List.of()).candidates(List.of("realm", ""), 1));
  }

  @Test
  void completionOffersDeploymentNames() {
    LiveGateway.await(live.node.beach().apply(dev.beach.Deployment.of("shell-dep", "shelltest",
      CliTestActors.Echo.class.getName(), "shelldep")));
    try {
      Session s = new Session(new GatewayClient(live.url, null), false, "shelltest");
      ShellCompletion c = new ShellCompletion(s, List.of("scale", "rollout", "deployments"));
      assertTrue(c.candidates(List.of("scale", ""), 1).contains("shell-dep"));
      assertTrue(c.candidates(List.of("deployments", ""), 1).contains("shell-dep"));
      assertEquals(List.of("restart"), c.candidates(List.of("rollout", ""), 1));
      assertTrue(c.candidates(List.of("rollout", "restart", ""), 2).contains("shell-dep"));
      assertEquals(List.of(), c.candidates(List.of("scale", "shell-dep", ""), 2), "a count comes next, not a name");
    } finally {
      LiveGateway.await(live.node.beach().remove("shell-dep"));
    }
  }

  @Test
  void wordsHonourQuotesAndEscapes() {
    assertEquals(List.of("request", "echo", "echo", "{\"a\": 1}"), Words.split("request echo echo '{\"a\": 1}'"));
    assertEquals(List.of("a b", "c\"d", "e f"), Words.split("\"a b\" \"c\\\"d\" e\\ f"));
    assertEquals(List.of(), Words.split("   "));
    assertEquals(List.of("request", "echo", "echo", "{\"a\": [1, \"}\"], \"b\": {}}", "-r", "x"),
      Words.split("request echo echo {\"a\": [1, \"}\"], \"b\": {}} -r x"));
    assertEquals(List.of("all", "c", "op", "[1, 2]"), Words.split("all c op [1, 2]"));
    assertThrows(CliException.class, () -> Words.split("oops 'unclosed"));
  }
}
