package dev.beach.launcher.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code beach apply -f}, {@code deployments}, {@code scale}, {@code rollout restart}, {@code drain}. */
class DeploymentCommandsTest {

  private static final String ECHO = CliTestActors.Echo.class.getName();
  private static LiveGateway live;

  @BeforeAll
  static void start() {
    live = LiveGateway.start("deploy-cli-token");
  }

  @AfterAll
  static void stop() {
    live.close();
  }

  private static LiveGateway.Result ok(String command, String... args) {
    LiveGateway.Result r = live.run(command, args);
    assertEquals(0, r.code, r.toString());
    return r;
  }

  private static JsonObject status(String name) {
    JsonArray all = new JsonArray(ok("deployments", "--json").out);
    for (Object o : all) {
      if (name.equals(((JsonObject) o).getString("name"))) {
        return (JsonObject) o;
      }
    }
    throw new AssertionError("no " + name + " in " + all.encode());
  }

  private static void awaitActual(String name, int n) throws InterruptedException {
    long end = System.currentTimeMillis() + 15_000;
    while (status(name).getInteger("actual") != n || !"available".equals(status(name).getString("state"))) {
      if (System.currentTimeMillis() > end) {
        throw new AssertionError("never " + n + ": " + status(name));
      }
      Thread.sleep(100);
    }
  }

  @Test
  void applyAFileThenScaleRestartAndSeeTheTable(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("deployments.yaml");
    Files.writeString(file, "deployments:\n"
      + "  - name: cli-web\n    realm: cli\n    class: " + ECHO + "\n    categories: [web]\n    instances: 2\n"
      + "  - name: cli-jobs\n    realm: cli\n    class: " + ECHO + "\n    categories: jobs\n");
    LiveGateway.Result first = ok("apply", "-f", file.toString());
    assertTrue(first.out.contains("deployment cli-web created"), first.toString());
    assertTrue(first.out.contains("deployment cli-jobs created"), first.toString());
    awaitActual("cli-web", 2);

    LiveGateway.Result again = ok("apply", "-f", file.toString());
    assertTrue(again.out.contains("deployment cli-web unchanged"), again.toString());

    Files.writeString(file, Files.readString(file).replace("instances: 2", "instances: 3"));
    LiveGateway.Result changed = ok("apply", "-f", file.toString());
    assertTrue(changed.out.contains("deployment cli-web configured"), changed.toString());
    assertTrue(changed.out.contains("deployment cli-jobs unchanged"), changed.toString());
    awaitActual("cli-web", 3);

    LiveGateway.Result scaled = ok("scale", "cli-web", "1");
    assertTrue(scaled.out.contains("scaled to 1"), scaled.toString());
    awaitActual("cli-web", 1);

    LiveGateway.Result table = ok("deployments");
    assertTrue(table.out.startsWith("NAME"), table.toString());
    assertTrue(table.out.lines().anyMatch(l -> l.startsWith("cli-web") && l.contains("available")), table.toString());

    LiveGateway.Result rolled = ok("rollout", "restart", "cli-web");
    assertTrue(rolled.out.contains("restart revision 1"), rolled.toString());
    LiveGateway.Result one = ok("deployments", "cli-web");
    assertTrue(one.out.contains("cli-web"), one.toString());
    assertEquals(1, live.run("deployments", "nosuch").code, "an unknown name is an error");
  }

  @Test
  void theSampleFileHoldsValidDeployments() {
    JsonArray sample = DeploymentCommands.read(Path.of("..", "samples", "deployments.yaml"));
    assertEquals(2, sample.size());
    java.util.Set<String> startUp = new java.util.HashSet<>();
    dev.beach.launcher.impl.ConfigLoader.loadBlocking(null, java.util.Map.of(), new JsonObject()).deploy()
      .forEach(d -> startUp.add(d.getName()));
    assertTrue(startUp.contains("global-echo"), "the embedded default's deployments: " + startUp);
    for (Object o : sample) {
      dev.beach.Deployment d = new dev.beach.Deployment((JsonObject) o).validate();
      assertFalse(startUp.contains(d.getName()), d.getName() + " is a start-up deployment of the default node too:"
        + " applying the sample would change it until a node restarts");
    }
  }

  @Test
  void badFilesAndUnknownNamesFailWithAMessage(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, "just: a map\n");
    LiveGateway.Result notAList = live.run("apply", "-f", file.toString());
    assertEquals(1, notAList.code, notAList.toString());
    assertTrue(notAList.err.contains("list of deployments"), notAList.toString());

    Files.writeString(file, "- name: cli-bad\n  realm: cli\n  categories: [x]\n");
    LiveGateway.Result invalid = live.run("apply", "-f", file.toString());
    assertEquals(1, invalid.code, invalid.toString());
    assertTrue(invalid.err.contains("class"), invalid.toString());

    assertEquals(1, live.run("scale", "nosuch", "2").code);
    assertEquals(1, live.run("rollout", "restart", "nosuch").code);
    LiveGateway.Result restartWhat = live.run("rollout", "undo", "nosuch");
    assertTrue(restartWhat.err.contains("rollout restart NAME"), restartWhat.toString());
    LiveGateway.Result drain = live.run("drain", "nosuchnode");
    assertEquals(1, drain.code, drain.toString());
    assertTrue(drain.err.contains("no node nosuchnode"), drain.toString());
  }
}
