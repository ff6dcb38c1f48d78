package dev.beach.launcher;

import dev.beach.launcher.impl.Ports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway's configuration through a real {@code bin/beach node}: the variable the open-gateway refusal
 * recommends really sets the admin token, and a misspelt one stops the node naming it.
 */
class GatewaySecurityIT {

  private static final String HOST = "127.0.0.1";

  @TempDir
  Path dir;

  private static int status(String url, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @Test
  void theAdminTokenVariableClosesTheGateway() throws Exception {
    try (BeachProcess p = BeachProcess.node("token", dir, Map.of("BEACH_GATEWAY_TOKENS_ADMIN", "s3cret-admin"),
      "--port", Integer.toString(Ports.anyFree(HOST)), "--gateway-port", "0", "--no-deploy")) {
      p.awaitUp(Duration.ofSeconds(120));
      assertFalse(p.output().contains("open: no tokens configured"), p.output());
      assertEquals(401, status(p.gatewayUrl() + "/v1/nodes", null));
      assertEquals(401, status(p.gatewayUrl() + "/v1/nodes", "wrong"));
      assertEquals(200, status(p.gatewayUrl() + "/v1/nodes", "s3cret-admin"));
    }
  }

  @Test
  void aMisspeltGatewayVariableStopsTheNodeNamingIt() throws Exception {
    try (BeachProcess p = BeachProcess.node("typo", dir, Map.of("BEACH_GATEWAY_TOKENS_ADMN", "s3cret-admin"),
      "--port", Integer.toString(Ports.anyFree(HOST)), "--gateway-port", "0", "--no-deploy")) {
      assertEquals(2, p.awaitExit(Duration.ofSeconds(60)), p.output());
      assertTrue(p.output().contains("gateway.tokens.admn") && p.output().contains("BEACH_GATEWAY_TOKENS_ADMN"), p.output());
    }
  }
}
