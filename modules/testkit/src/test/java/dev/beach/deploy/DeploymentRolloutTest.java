package dev.beach.deploy;

import dev.beach.ActorInfo;
import dev.beach.BeachNode;
import dev.beach.Deployment;
import dev.beach.DeploymentStatus;
import dev.beach.NodeOptions;
import dev.beach.testkit.Await;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code Beach.restartDeployment} (POST /v1/deployments/{name}/restart, {@code beach rollout restart}): the restart
 * revision rolls that deployment's actors, and only its, onto the realm's current code, never more than one
 * instance short.
 */
class DeploymentRolloutTest {

  private static final String REALM = "rollout";
  @TempDir
  Path code;
  private Vertx vertx;
  private BeachNode node;

  @AfterEach
  void tearDown() {
    if (node != null) {
      Await.result(node.close());
    }
    if (vertx != null) {
      Await.result(vertx.close());
    }
  }

  private static Buffer versioned(String version) {
    return Buffer.buffer("import io.vertx.core.Future;\n"
      + "import io.vertx.core.json.JsonObject;\n"
      + "public class Versioned extends dev.beach.Actor {\n"
      + "  @Override\n"
      + "  public Future<?> start() {\n"
      + "    on(\"version\", req -> req.reply(new JsonObject().put(\"version\", \"" + version + "\")));\n"
      + "    return super.start();\n"
      + "  }\n"
      + "}\n");
  }

  /** Actor id → revision of deployment {@code name}'s listed actors. */
  private Map<String, String> actorsOf(String name) {
    return node.beach().directory(REALM, null).stream().filter(a -> name.equals(a.deployment()))
      .collect(Collectors.toMap(ActorInfo::id, ActorInfo::revision, (a, b) -> a, TreeMap::new));
  }

  private String version(String actorId) {
    return Await.<JsonObject>result(node.beach().actor(REALM, actorId).request("version", new JsonObject()))
      .getString("version");
  }

  @Test
  void aRolloutRestartRollsOnlyThatDeploymentOntoTheCurrentCode() {
    vertx = Vertx.vertx();
    node = Await.result(BeachNode.start(vertx, new NodeOptions().setCodeDir(code.toString()).setStatsIntervalMs(200)
      .setDirectorySyncMs(1000)));
    Await.result(node.beach().pushCode(REALM, "Versioned.java", versioned("v1")));
    Await.result(node.beach().apply(Deployment.of("rolled", REALM, "Versioned", "shared").setInstances(3)));
    Await.result(node.beach().apply(Deployment.of("neighbour", REALM, "Versioned", "shared", "other")));
    DeploymentClusterTest.awaitState(node.beach(), "rolled", DeploymentStatus.State.AVAILABLE, Duration.ofSeconds(10));
    DeploymentClusterTest.awaitState(node.beach(), "neighbour", DeploymentStatus.State.AVAILABLE, Duration.ofSeconds(10));
    Map<String, String> rolledBefore = actorsOf("rolled");
    Map<String, String> neighbourBefore = actorsOf("neighbour");
    assertEquals(3, rolledBefore.size());

    Await.result(node.beach().pushCode(REALM, "Versioned.java", versioned("v2")));
    // Watch the roll from the node's own loop: how few of the deployment's instances were ever listed.
    AtomicInteger fewest = new AtomicInteger(Integer.MAX_VALUE);
    long watch = vertx.setPeriodic(1, t -> fewest.accumulateAndGet(actorsOf("rolled").size(), Math::min));
    DeploymentStatus restarted = Await.result(node.beach().restartDeployment("rolled"));
    assertEquals(1L, restarted.deployment().getLong("restartRevision"));
    Await.until("every actor of 'rolled' replaced", Duration.ofSeconds(20), () -> {
      Map<String, String> now = actorsOf("rolled");
      return now.size() == 3 && now.keySet().stream().noneMatch(rolledBefore::containsKey)
        && Await.result(node.beach().deployment("rolled")).state() == DeploymentStatus.State.AVAILABLE;
    });
    vertx.cancelTimer(watch);
    assertTrue(fewest.get() >= 2, "at most one instance unavailable at a time, saw " + fewest.get() + " of 3");
    Map<String, String> rolledAfter = actorsOf("rolled");
    assertEquals(1, Set.copyOf(rolledAfter.values()).size(), "one new revision");
    assertTrue(!rolledAfter.containsValue(rolledBefore.values().iterator().next()), "a new revision");
    for (String id : rolledAfter.keySet()) {
      assertEquals("v2", version(id), "onto the realm's current code");
    }
    assertEquals(neighbourBefore, actorsOf("neighbour"), "the deployment sharing its category is untouched");
    assertEquals("v1", version(neighbourBefore.keySet().iterator().next()));

    // Applying the deployment again as a file writes it (no restartRevision) keeps the restart: nothing rolls back.
    DeploymentStatus reapplied = Await.result(node.beach().apply(Deployment.of("rolled", REALM, "Versioned", "shared")
      .setInstances(3)));
    assertEquals(1L, reapplied.deployment().getLong("restartRevision"));
    DeploymentClusterTest.awaitState(node.beach(), "rolled", DeploymentStatus.State.AVAILABLE, Duration.ofSeconds(10));
    assertEquals(rolledAfter, actorsOf("rolled"), "same revision: no actor replaced");
  }

  @Test
  void restartingAnUnknownDeploymentIs404() {
    vertx = Vertx.vertx();
    node = Await.result(BeachNode.start(vertx, new NodeOptions()));
    assertEquals(dev.beach.ErrorCode.NOT_FOUND, Await.failure(node.beach().restartDeployment("nope")).code());
  }
}
