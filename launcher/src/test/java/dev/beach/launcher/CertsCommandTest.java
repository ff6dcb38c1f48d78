package dev.beach.launcher;

import dev.beach.Actor;
import dev.beach.ActorSpec;
import dev.beach.BeachNode;
import dev.beach.ClusterOptions;
import dev.beach.NodeOptions;
import dev.beach.Placement;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code beach certs} output is a working mutual-TLS setup: two nodes using one run's files serve each other's
 * requests, and their ports refuse a peer whose certificate another run's CA signed.
 */
class CertsCommandTest {

  @TempDir
  Path tmp;

  /** Answers which node it runs on. */
  public static final class WhoAmI extends Actor {
    @Override
    public Future<?> start() {
      on("whoami", req -> req.reply(new JsonObject().put("node", beach().nodeId())));
      return super.start();
    }
  }

  @Test
  void oneRunsFilesMakeATlsClusterThatRefusesAnotherRunsCertificates() throws Exception {
    Path certs = tmp.resolve("certs");
    Path other = tmp.resolve("other");
    assertEquals(0, Main.commandLine().execute("certs", "--out", certs.toString(), "--node", "n1,n2"));
    assertEquals(0, Main.commandLine().execute("certs", "--out", other.toString(), "--node", "n1"));
    if (Files.getFileStore(certs).supportsFileAttributeView("posix")) {
      for (String key : List.of("ca-key.pem", "n1-key.pem", "n2-key.pem")) {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(certs.resolve(key))), key);
      }
    }

    int[] ports = {freePort(), freePort()};
    int[] busPorts = {freePort(), freePort()};
    List<String> seeds = List.of("127.0.0.1:" + ports[0], "127.0.0.1:" + ports[1]);
    List<BeachNode> nodes = new ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) {
        String name = "n" + (i + 1);
        NodeOptions o = new NodeOptions(new JsonObject()
          .put("cluster", new ClusterOptions().setHost("127.0.0.1").setPort(ports[i]).setEventBusPort(busPorts[i])
            .setSeeds(seeds).toJson())
          .put("eventBus", new JsonObject().put("tls", new JsonObject()
            .put("keyPath", certs.resolve(name + "-key.pem").toString())
            .put("certPath", certs.resolve(name + ".pem").toString())
            .put("trustPath", certs.resolve("ca.pem").toString()))));
        nodes.add(await(BeachNode.clustered(o)));
      }
      BeachNode caller = nodes.get(0);
      BeachNode host = nodes.get(1);
      await(caller.beach().deploy(ActorSpec.of("certs", WhoAmI.class, "who").setPlacement(Placement.nodeId(host.id()))));
      JsonObject r = await(caller.beach().handle("certs", "who").request("whoami", null));
      assertEquals(host.id(), r.getString("node"));

      // The host's event bus and link ports: a peer with this run's n1 files is let in, one with the other's is not.
      List<Integer> hostPorts = new ArrayList<>(List.of(busPorts[1]));
      hostPorts.add(host.linkPorts().get(0));
      for (int port : hostPorts) {
        assertTrue(accepted(port, certs.resolve("n1-key.pem"), certs.resolve("n1.pem")), "this run's n1 at port " + port);
        assertTrue(!accepted(port, other.resolve("n1-key.pem"), other.resolve("n1.pem")), "another run's n1 at port " + port);
      }
    } finally {
      for (BeachNode n : nodes) {
        await(n.close());
      }
    }
  }

  /**
   * Whether the node at {@code port} keeps a mutual-TLS connection from a client presenting this key and
   * certificate (the client trusts any server: only the node's verdict on the client is tested). A refused client
   * sees an alert or the connection closed; an accepted one waits for the node to speak, which it does not.
   */
  private static boolean accepted(int port, Path key, Path cert) throws Exception {
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(keyManagers(key, cert), new TrustManager[]{new TrustAll()}, null);
    try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      s.setSoTimeout(1_500);
      s.startHandshake();
      InputStream in = s.getInputStream();
      return in.read() != -1;
    } catch (SocketTimeoutException stillOpen) {
      return true;
    } catch (SSLException refused) {
      return false;
    } catch (IOException closed) {
      return false;
    }
  }

  private static javax.net.ssl.KeyManager[] keyManagers(Path key, Path cert) throws Exception {
    String pem = Files.readString(key);
    byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
    PrivateKey privateKey = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
    Certificate certificate;
    try (InputStream in = Files.newInputStream(cert)) {
      certificate = CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("me", privateKey, new char[0], new Certificate[]{certificate});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, new char[0]);
    return kmf.getKeyManagers();
  }

  private static final class TrustAll implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      return s.getLocalPort();
    }
  }
}
