package dev.beach;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every *Options and spec round-trips JSON; wrong types fail with 400 naming the field. */
class OptionsJsonTest {

  @Test
  void actorSpecRoundTrips() {
    ActorSpec spec = ActorSpec.of("r1", "com.x.Echo", "a.b", "c").setInstances(3).setConcurrency(4).setMailboxSize(9)
      .setPlacement(Placement.repulsion("a.b")).setParams(new JsonObject().put("k", 1));
    ActorSpec back = new ActorSpec(spec.toJson());
    assertEquals(spec.toJson(), back.toJson());
    assertEquals(Placement.repulsion("a.b"), back.getPlacement());
  }

  @Test
  void actorSpecReadsTheHttpBodyShape() {
    ActorSpec spec = new ActorSpec(new JsonObject().put("class", "E").put("categories", "x")
      .put("strategy", "node").put("hint", "tag:gpu"));
    assertEquals(List.of("x"), spec.getCategories());
    assertEquals(Placement.tag("gpu"), spec.getPlacement());
  }

  @Test
  void actorSpecRejectsWrongTypesAndBounds() {
    assertThrows(BeachException.class, () -> new ActorSpec(new JsonObject().put("instances", "three")));
    assertThrows(BeachException.class, () -> new ActorSpec(new JsonObject().put("instances", 1.5)));
    assertThrows(BeachException.class, () -> new ActorSpec(new JsonObject().put("params", "x")));
    assertThrows(BeachException.class, () -> new ActorSpec(new JsonObject().put("categories", List.of(1))));
    assertThrows(BeachException.class, () -> ActorSpec.of("r", "E", "c").setInstances(0).validate());
    assertThrows(BeachException.class, () -> ActorSpec.of("r", "E").validate());
    BeachException e = assertThrows(BeachException.class, () -> ActorSpec.of("r", "not a class", "c").validate());
    assertTrue(e.getMessage().contains("class"));
  }

  @Test
  void placementParsesEveryTextForm() {
    for (String text : List.of("random", "roundrobin", "least-loaded", "affinity(a.b)", "repulsion(x)", "node(id:n1)",
      "node(host:h)", "node(tag:gpu)", "node(gpu)", "spread", "local")) {
      assertEquals(text, Placement.parse(text).toString());
    }
    assertEquals(Placement.leastLoaded(), Placement.parse("resource"));
    assertEquals(Placement.random(), Placement.parse(null));
    BeachException e = assertThrows(BeachException.class, () -> Placement.parse("closest"));
    assertTrue(e.getMessage().contains("least-loaded"), e.getMessage());
    assertThrows(BeachException.class, () -> Placement.parse("affinity"));
    assertThrows(BeachException.class, () -> Placement.parse("affinity(Bad Cat)"));
  }

  @Test
  void nodeAndClusterOptionsRoundTrip() {
    NodeOptions o = new NodeOptions().setTags(List.of("gpu")).setTrustedRealms(List.of("ops")).setCodeDir("/tmp/x")
      .setStatsIntervalMs(500)
      .setCluster(new ClusterOptions().setName("c").setHost("10.0.0.1").setPort(5800).setSeeds(List.of("a:1", "b"))
        .setLinks(false).setLinkPort(7100));
    assertEquals(o.toJson(), new NodeOptions(o.toJson()).toJson());
    assertEquals(false, new NodeOptions(o.toJson()).getCluster().isLinks());
    assertEquals(7100, new NodeOptions(o.toJson()).getCluster().getLinkPort());
    assertTrue(new ClusterOptions().isLinks(), "links are on unless turned off");
    NodeOptions yamlish = new NodeOptions(new JsonObject()
      .put("cluster", new JsonObject().put("seeds", "a:1, b:2"))
      .put("node", new JsonObject().put("tags", "x,y").put("trustedRealms", "ops, global")));
    assertEquals(List.of("a:1", "b:2"), yamlish.getCluster().getSeeds());
    assertEquals(List.of("x", "y"), yamlish.getTags());
    assertEquals(List.of("ops", "global"), yamlish.getTrustedRealms());
    assertEquals(List.of(), new NodeOptions().getTrustedRealms(), "no realm is trusted unless listed");
  }

  @Test
  void invalidNodeOptionsNameTheKey() {
    BeachException e = assertThrows(BeachException.class,
      () -> new NodeOptions().setCluster(new ClusterOptions().setSeeds(List.of("a:b"))).validate());
    assertTrue(e.getMessage().contains("cluster.seeds"), e.getMessage());
    e = assertThrows(BeachException.class, () -> new NodeOptions().setTags(List.of("a b")).validate());
    assertTrue(e.getMessage().contains("node.tags"));
    e = assertThrows(BeachException.class, () -> new NodeOptions().setTrustedRealms(List.of("Ops")).validate());
    assertTrue(e.getMessage().contains("node.trustedRealms") && e.getMessage().contains("'Ops'"), e.getMessage());
    e = assertThrows(BeachException.class,
      () -> new ClusterOptions().setHeartbeatSeconds(5).setMaxNoHeartbeatSeconds(5).validate());
    assertTrue(e.getMessage().contains("maxNoHeartbeatSeconds"));
    e = assertThrows(BeachException.class, () -> new ClusterOptions().setLinkPort(70000).validate());
    assertTrue(e.getMessage().contains("cluster.linkPort"), e.getMessage());
  }

  @Test
  void eventBusTlsReadsItsOwnSectionAndNamesAMissingFile() {
    NodeOptions o = new NodeOptions(new JsonObject().put("eventBus", new JsonObject().put("tls",
      new JsonObject().put("keyPath", "/nope/key.pem").put("certPath", "/nope/cert.pem").put("trustPath", "/nope/ca.pem"))));
    assertTrue(o.getCluster().tlsEnabled());
    assertEquals(o.toJson(), new NodeOptions(o.toJson()).toJson());
    BeachException e = assertThrows(BeachException.class, o::validate);
    assertTrue(e.getMessage().contains("eventBus.tls.keyPath") && e.getMessage().contains("/nope/key.pem"), e.getMessage());
    BeachException partial = assertThrows(BeachException.class, () -> new ClusterOptions().setTls("/a", null, null).validate());
    assertTrue(partial.getMessage().contains("TLS needs keyPath, certPath and trustPath"), partial.getMessage());
  }

  @Test
  void tlsHasOneSpellingAndSurvivesCopies() {
    TlsOptions files = new TlsOptions().setKeyPath("k.pem").setCertPath("c.pem").setTrustPath("ca.pem");
    assertEquals(new JsonObject().put("keyPath", "k.pem").put("certPath", "c.pem").put("trustPath", "ca.pem"),
      files.toJson());
    assertEquals(files.toJson(), new TlsOptions(files.toJson()).toJson());
    ClusterOptions cluster = new ClusterOptions().setTls(files);
    // The cluster section never spells TLS: eventBus.tls does, in NodeOptions' JSON.
    assertFalse(cluster.toJson().containsKey("tls"), cluster.toJson().encode());
    assertTrue(new ClusterOptions(cluster).tlsEnabled(), "a copy keeps the TLS files");
    JsonObject node = new NodeOptions().setCluster(cluster).toJson();
    assertEquals(files.toJson(), node.getJsonObject("eventBus").getJsonObject("tls"));
    assertFalse(node.getJsonObject("cluster").containsKey("tls"));
    assertTrue(new NodeOptions(node).getCluster().tlsEnabled());
    assertFalse(new NodeOptions().toJson().containsKey("eventBus"), "no TLS, no eventBus section");
  }

  @Test
  void aClusterSecretIsLongEnoughNeverLoggedAndReadFromAFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
    throws Exception {
    ClusterOptions withSecret = new ClusterOptions().setSecret("0123456789abcdef0123");
    assertEquals(withSecret.toJson(), new ClusterOptions(withSecret.toJson()).toJson());
    assertEquals("0123456789abcdef0123", new ClusterOptions(withSecret).resolveSecret());
    assertFalse(withSecret.toString().contains("0123456789abcdef"), withSecret.toString());
    NodeOptions node = new NodeOptions().setCluster(withSecret);
    assertFalse(node.toString().contains("0123456789abcdef"), node.toString());
    assertTrue(node.toJson().getJsonObject("cluster").getString("secret").startsWith("0123"), "JSON keeps it for copies");

    BeachException shortOne = assertThrows(BeachException.class, () -> new ClusterOptions().setSecret("short").validate());
    assertTrue(shortOne.getMessage().contains("at least 16"), shortOne.getMessage());

    java.nio.file.Path file = dir.resolve("secret");
    java.nio.file.Files.writeString(file, "from-a-file-0123456789\nignored\n");
    assertEquals("from-a-file-0123456789", new ClusterOptions().setSecretFile(file.toString()).validate().resolveSecret());
    BeachException both = assertThrows(BeachException.class,
      () -> new ClusterOptions().setSecret("0123456789abcdef0123").setSecretFile(file.toString()).validate());
    assertTrue(both.getMessage().contains("not both"), both.getMessage());
    BeachException missing = assertThrows(BeachException.class,
      () -> new ClusterOptions().setSecretFile(dir.resolve("none").toString()).validate());
    assertTrue(missing.getMessage().contains("cluster.secretFile"), missing.getMessage());
  }

  @Test
  void aNodeReachableFromOtherMachinesRefusesToStartWithoutASecretOrTls() {
    // 192.0.2.1 (TEST-NET-1) is never loopback; validate() binds nothing, so no such interface is needed.
    BeachException open = assertThrows(BeachException.class, () -> new ClusterOptions().setHost("192.0.2.1").validate());
    assertTrue(open.getMessage().contains("cluster.secret") && open.getMessage().contains("eventBus.tls")
      && open.getMessage().contains("cluster.insecure"), open.getMessage());
    new ClusterOptions().setHost("192.0.2.1").setSecret("0123456789abcdef0123").validate();
    new ClusterOptions().setHost("192.0.2.1").setInsecure(true).validate();
    new ClusterOptions().setHost("127.0.0.1").validate();
    new ClusterOptions().setHost("localhost").validate();
  }

  @Test
  void handleOptionsRoundTripAndRejectBadModes() {
    HandleOptions h = new HandleOptions().setMode(HandleOptions.Mode.AFFINITY).setKey("k").setTimeoutMs(5)
      .setRetries(1).setIdent("me");
    assertEquals(h.toJson(), new HandleOptions(h.toJson()).toJson());
    assertThrows(BeachException.class, () -> new HandleOptions(new JsonObject().put("mode", "nearest")));
    assertThrows(BeachException.class, () -> new HandleOptions().setRetries(-1));
  }

  @Test
  void beachExceptionTravelsAsJson() {
    BeachException e = new BeachException(ErrorCode.OVERLOADED, "full", "r", "c", "a-1", "n", "op",
      new JsonObject().put("k", 1));
    BeachException back = BeachException.from(new io.vertx.core.eventbus.ReplyException(
      io.vertx.core.eventbus.ReplyFailure.RECIPIENT_FAILURE, 429, e.wireMessage()));
    assertEquals(e.toJson(), back.toJson());
    assertEquals(ErrorCode.NO_ACTORS, BeachException.from(new io.vertx.core.eventbus.ReplyException(
      io.vertx.core.eventbus.ReplyFailure.NO_HANDLERS, -1, "x")).code());
    BeachException npe = BeachException.from(new NullPointerException("n"));
    assertEquals(ErrorCode.ACTOR_FAILED, npe.code());
    assertTrue(npe.details().getString("stack").contains("NullPointerException"));
  }
}
