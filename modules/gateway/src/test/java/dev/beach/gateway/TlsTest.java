package dev.beach.gateway;

import dev.beach.BeachNode;
import dev.beach.NodeOptions;
import dev.beach.testkit.Await;
import io.vertx.core.Vertx;
import io.vertx.core.net.SelfSignedCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code gateway.tls}: HTTPS with PEM files; missing files fail the start. */
class TlsTest {

  @Test
  void theGatewayServesHttpsWithPemFiles() throws Exception {
    // Made in this JVM, as EventBusTlsTest does: no openssl needed. Its name is localhost, so the client asks for that.
    SelfSignedCertificate cert = SelfSignedCertificate.create("localhost");
    try (LiveNode live = LiveNode.start(new GatewayOptions().setTlsKeyPath(cert.privateKeyPath())
      .setTlsCertPath(cert.certificatePath()))) {
      HttpClient client = HttpClient.newBuilder().sslContext(trusting(Path.of(cert.certificatePath()))).build();
      HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + live.gateway.port()
        + "/v1/health")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode());
      assertTrue(r.body().contains("\"UP\""), r.body());
      // Plain HTTP to the TLS port gets no answer.
      assertThrows(AssertionError.class, () -> live.http.get("/v1/health"));
    } finally {
      cert.delete();
    }
  }

  @Test
  void missingPemFilesFailTheStart(@TempDir Path dir) {
    Vertx vertx = Vertx.vertx();
    try {
      BeachNode node = Await.result(BeachNode.start(vertx, new NodeOptions()));
      Throwable e = assertThrows(Throwable.class, () -> Await.result(Gateway.start(node, new GatewayOptions().setPort(0)
        .setTlsKeyPath(dir.resolve("none.pem").toString()).setTlsCertPath(dir.resolve("none.crt").toString()))));
      assertTrue(String.valueOf(e.getMessage()).contains("none"), String.valueOf(e));
      Await.result(node.close());
    } finally {
      Await.result(vertx.close());
    }
  }

  private static SSLContext trusting(Path cert) throws Exception {
    KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
    ks.load(null, null);
    try (InputStream in = Files.newInputStream(cert)) {
      ks.setCertificateEntry("gateway", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }
}
