package dev.beach.gateway;

import dev.beach.BeachException;
import dev.beach.BeachNode;
import dev.beach.NodeOptions;
import dev.beach.testkit.Await;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GatewayOptionsTest {

  @Test
  void defaults() {
    GatewayOptions o = new GatewayOptions();
    assertTrue(o.isEnabled());
    assertEquals("127.0.0.1", o.getHost());
    assertEquals(8080, o.getPort());
    assertEquals(1024 * 1024, o.getMaxBodyBytes());
    assertFalse(o.hasTokens());
  }

  @Test
  void jsonRoundTripOfTheYamlSection() {
    JsonObject yaml = new JsonObject()
      .put("enabled", true).put("host", "0.0.0.0").put("port", 9090)
      .put("tls", new JsonObject().put("keyPath", "k.pem").put("certPath", "c.pem"))
      .put("tokens", new JsonObject().put("admin", "adm").put("realms", new JsonObject().put("analytics", "t1")))
      .put("maxBodyBytes", 2048L).put("maxCodeBytes", 4096L).put("sseHeartbeatMs", 500L)
      .put("allowedHosts", new io.vertx.core.json.JsonArray().add("beach.example"))
      .put("allowedOrigins", new io.vertx.core.json.JsonArray().add("https://ops.example"))
      .put("headerTimeoutMs", 2000L).put("idleTimeoutMs", 3000L)
      .put("quotas", new JsonObject().put("instancesPerRequest", 7).put("actorsPerRealm", 70).put("jobsPerRealm", 3)
        .put("spoolBytesPerRealm", 4096L).put("streamsPerToken", 2));
    GatewayOptions o = new GatewayOptions(yaml).validate();
    assertEquals("adm", o.getAdminToken());
    assertEquals("t1", o.getRealmTokens().get("analytics"));
    assertEquals("k.pem", o.getTlsKeyPath());
    assertEquals(yaml, o.toJson());
    assertEquals(yaml, new GatewayOptions(o).toJson());
  }

  @Test
  void tokensNeverShowInToString() {
    GatewayOptions o = new GatewayOptions().setAdminToken("sekrit").putRealmToken("a", "hidden");
    assertFalse(o.toString().contains("sekrit"));
    assertFalse(o.toString().contains("hidden"));
    assertTrue(o.toString().contains("<PRIVATE>"));
  }

  @Test
  void invalidValuesNameTheKey() {
    assertTrue(assertThrows(BeachException.class, () -> new GatewayOptions().setPort(70000).validate())
      .getMessage().contains("gateway.port"));
    assertTrue(assertThrows(BeachException.class, () -> new GatewayOptions().setTlsKeyPath("k").validate())
      .getMessage().contains("gateway.tls"));
    assertTrue(assertThrows(BeachException.class, () -> new GatewayOptions().setAdminToken("has space").validate())
      .getMessage().contains("gateway.tokens.admin"));
    assertTrue(assertThrows(BeachException.class, () -> new GatewayOptions().putRealmToken("BAD", "t").validate())
      .getMessage().contains("[a-z0-9]"));
    assertTrue(assertThrows(BeachException.class, () -> new GatewayOptions().setAdminToken("same").putRealmToken("a", "same")
      .validate()).getMessage().contains("must differ"));
    assertThrows(BeachException.class, () -> new GatewayOptions(new JsonObject().put("port", "eighty")));
    assertTrue(assertThrows(BeachException.class, () -> new GatewayOptions().setAllowedOrigins(java.util.List.of("*")).validate())
      .getMessage().contains("gateway.allowedOrigins"));
    assertTrue(assertThrows(BeachException.class, () -> new GatewayOptions().setAllowedHosts(java.util.List.of("a:80")).validate())
      .getMessage().contains("gateway.allowedHosts"));
    assertTrue(assertThrows(BeachException.class, () -> new GatewayOptions().setHeaderTimeoutMs(5).validate())
      .getMessage().contains("gateway.headerTimeoutMs"));
    assertTrue(assertThrows(BeachException.class, () -> new GatewayOptions()
      .setQuotas(new QuotaOptions().setStreamsPerToken(0)).validate()).getMessage().contains("gateway.quotas.streamsPerToken"));
  }

  @Test
  void unknownKeysAreRefusedAtEveryDepth() {
    BeachException top = assertThrows(BeachException.class, () -> new GatewayOptions(new JsonObject().put("prot", 1)));
    assertEquals(400, top.code().code());
    assertTrue(top.getMessage().contains("unknown key gateway.prot") && top.getMessage().contains("port"), top.getMessage());
    BeachException nested = assertThrows(BeachException.class, () -> new GatewayOptions(new JsonObject()
      .put("tokens", new JsonObject().put("admn", "x"))));
    assertTrue(nested.getMessage().contains("unknown key gateway.tokens.admn"), nested.getMessage());
    // Realm names are the keys of a map, not a fixed set.
    assertEquals("t", new GatewayOptions(new JsonObject().put("tokens", new JsonObject()
      .put("realms", new JsonObject().put("any-realm", "t")))).getRealmTokens().get("any-realm"));
  }

  @Test
  void twoRealmsCannotShareAToken() {
    BeachException e = assertThrows(BeachException.class, () -> new GatewayOptions()
      .putRealmToken("a", "shared-1").putRealmToken("b", "shared-1").validate());
    assertEquals(400, e.code().code());
    assertTrue(e.getMessage().contains("gateway.tokens.realms.b is the same token as gateway.tokens.realms.a"), e.getMessage());
  }

  @Test
  void anOpenGatewayRefusesANonLoopbackAddressAndSaysHowToSetAToken() {
    Vertx vertx = Vertx.vertx();
    try {
      BeachNode node = Await.result(BeachNode.start(vertx, new NodeOptions()));
      BeachException e = Await.failure(Gateway.start(node, new GatewayOptions().setHost("0.0.0.0").setPort(0)));
      assertEquals(400, e.code().code());
      assertTrue(e.getMessage().contains("gateway.tokens.admin"), e.getMessage());
      assertTrue(e.getMessage().contains("BEACH_GATEWAY_TOKENS_ADMIN"), e.getMessage());
      // With a token the same address is fine.
      Gateway g = Await.result(Gateway.start(node, new GatewayOptions().setHost("0.0.0.0").setPort(0).setAdminToken("t0k3n")));
      assertTrue(g.port() > 0);
      Await.result(g.close());
      Await.result(node.close());
    } finally {
      Await.result(vertx.close());
    }
  }
}
