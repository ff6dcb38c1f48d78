package dev.beach.deploy;

import dev.beach.BeachNode;
import dev.beach.Deployment;
import dev.beach.DeploymentStatus;
import dev.beach.ErrorCode;
import dev.beach.testkit.Await;
import dev.beach.testkit.TestCluster;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every node keeps the deployments under node.dataDir; a full cluster restart restores them. */
class DeploymentRestoreTest {

  private static final String REALM = DeploymentClusterTest.REALM;
  @TempDir
  Path data;
  private TestCluster cluster;

  @AfterEach
  void tearDown() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private TestCluster start(int n) {
    return TestCluster.start(n, (i, o) -> o.setDataDir(data.resolve("node" + i).toString()));
  }

  private Path file(int node) {
    return data.resolve("node" + node).resolve("deployments.json");
  }

  private static String read(Path p) {
    try {
      return Files.exists(p) ? Files.readString(p) : "";
    } catch (java.io.IOException e) {
      return "";
    }
  }

  @Test
  void aFullClusterRestartRestoresTheDeploymentsAndARemovedOneStaysRemoved() throws Exception {
    cluster = start(2);
    Await.result(cluster.beach(0).apply(Deployment.of("kept", REALM, DeploymentActors.Worker.class, "kept")
      .setInstances(3).setParams(new JsonObject().put("_token", "s3cret"))));
    Await.result(cluster.beach(1).apply(Deployment.of("gone", REALM, DeploymentActors.Worker.class, "gone")));
    DeploymentClusterTest.awaitState(cluster.beach(0), "kept", DeploymentStatus.State.AVAILABLE, Duration.ofSeconds(10));
    Await.result(cluster.beach(0).remove("gone"));
    for (int n = 0; n < 2; n++) {
      Path f = file(n);
      Await.until("node " + n + " wrote its copy", Duration.ofSeconds(5),
        () -> read(f).contains("\"kept\"") && !read(f).contains("\"gone\""));
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), "private params inside");
      assertTrue(read(f).contains("s3cret"), "the actors need their private params after a restart");
    }
    cluster.close();

    cluster = start(2);
    DeploymentStatus s = DeploymentClusterTest.awaitState(cluster.beach(1), "kept", DeploymentStatus.State.AVAILABLE,
      Duration.ofSeconds(15));
    assertEquals(3, s.actual());
    assertEquals(ErrorCode.NOT_FOUND, Await.failure(cluster.beach(0).deployment("gone")).code());
    assertFalse(s.deployment().getJsonObject("params").containsKey("_token"));
  }

  @Test
  void aNodeJoiningARunningClusterDoesNotBringBackWhatItsOldFileHolds() throws Exception {
    Path stale = file(2);
    Files.createDirectories(stale.getParent());
    Files.writeString(stale, new JsonObject().put("version", 1).put("deployments", new io.vertx.core.json.JsonArray()
      .add(new JsonObject().put("deployment", Deployment.of("zombie", REALM, DeploymentActors.Worker.class, "zz").toJson())
        .put("generation", 1))).encode());
    cluster = start(2);
    Await.result(cluster.beach(0).apply(Deployment.of("live", REALM, DeploymentActors.Worker.class, "live")));
    BeachNode late = cluster.join(List.of());
    Await.until("the joiner knows the live one", Duration.ofSeconds(10),
      () -> Await.result(late.beach().deployments()).stream().anyMatch(d -> d.name().equals("live")));
    assertEquals(ErrorCode.NOT_FOUND, Await.failure(late.beach().deployment("zombie")).code());
    Await.until("its file now says what the cluster holds", Duration.ofSeconds(5),
      () -> read(stale).contains("\"live\"") && !read(stale).contains("zombie"));
  }

  @Test
  void anUnreadableFileIsMovedAsideAndTheNodeStarts() throws Exception {
    Path bad = file(0);
    Files.createDirectories(bad.getParent());
    Files.writeString(bad, "{ not json");
    cluster = start(1);
    assertTrue(Await.result(cluster.beach(0).deployments()).isEmpty());
    try (var files = Files.list(bad.getParent())) {
      assertTrue(files.anyMatch(p -> p.getFileName().toString().startsWith("deployments.json.unreadable-")));
    }
  }
}
