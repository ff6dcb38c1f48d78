package dev.beach.launcher.impl;

import dev.beach.launcher.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What {@code beach certs} refuses, and how it signs new nodes with a folder's existing CA. */
class CertificatesTest {

  @TempDir
  Path tmp;

  private void refused(String expected, List<String> nodes, List<String> ips, int days) throws IOException {
    Path dir = tmp.resolve("out");
    Certificates.Refused e = assertThrows(Certificates.Refused.class,
      () -> new Certificates().make(dir, nodes, ips, days));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    assertEquals(0, count(dir), "nothing is written when the input is refused");
  }

  private static long count(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.count();
    }
  }

  @Test
  void badInputIsRefusedBeforeAnythingIsWritten() throws IOException {
    List<String> local = List.of("127.0.0.1");
    refused("at least one node", List.of(), local, 825);
    for (String bad : List.of("a b", "-x", "x-", "a..b", "ca", "CA", "a/b", "x".repeat(64), "")) {
      refused("node name '" + bad + "' must be a host name", List.of(bad), local, 825);
    }
    refused("node 'N1' is named twice", List.of("n1", "N1"), local, 825);
    refused("--ip 'example.com' is not an IPv4 or IPv6 address", List.of("n1"), List.of("example.com"), 825);
    for (String bad : List.of("1.2.3", "256.1.1.1", "1.2.3.4.5", "::g", "1:2")) {
      refused("--ip '" + bad + "' is not", List.of("n1"), List.of(bad), 825);
    }
    refused("--days must be 1..36500, not 0", List.of("n1"), local, 0);
    refused("--days must be 1..36500, not 36501", List.of("n1"), local, 36_501);
    assertEquals(2, Main.commandLine().execute("certs", "--out", tmp.resolve("out").toString(), "--node", "a b"));
  }

  @Test
  void aFolderWithHalfACaOrTheNodesFilesIsRefused() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("half"));
    Files.writeString(dir.resolve(Certificates.CA_CERT), "x");
    Certificates.Refused e = assertThrows(Certificates.Refused.class,
      () -> new Certificates().make(dir, List.of("n1"), List.of(), 10));
    assertTrue(e.getMessage().contains("holds ca.pem but not ca-key.pem"), e.getMessage());

    Path keyOnly = Files.createDirectories(tmp.resolve("keyonly"));
    Files.writeString(keyOnly.resolve(Certificates.CA_KEY), "x");
    e = assertThrows(Certificates.Refused.class, () -> new Certificates().make(keyOnly, List.of("n1"), List.of(), 10));
    assertTrue(e.getMessage().contains("holds ca-key.pem but not ca.pem"), e.getMessage());

    Path taken = Files.createDirectories(tmp.resolve("taken"));
    Files.writeString(Certificates.keyPath(taken, "n1"), "mine");
    e = assertThrows(Certificates.Refused.class, () -> new Certificates().make(taken, List.of("n1"), List.of(), 10));
    assertTrue(e.getMessage().contains("n1-key.pem exists already"), e.getMessage());
    assertEquals("mine", Files.readString(Certificates.keyPath(taken, "n1")));
    assertEquals(1, count(taken));
  }

  @Test
  void aSecondRunIntoTheSameFolderSignsWithItsCa() throws Exception {
    Path dir = tmp.resolve("certs");
    Certificates.Made first = new Certificates().make(dir, List.of("n1"), List.of("127.0.0.1"), 30);
    assertTrue(first.newCa);
    byte[] caCert = Files.readAllBytes(dir.resolve(Certificates.CA_CERT));
    byte[] caKey = Files.readAllBytes(dir.resolve(Certificates.CA_KEY));

    Certificates.Made second = new Certificates().make(dir, List.of("n3"), List.of("10.0.0.5", "::1"), 30);
    assertFalse(second.newCa);
    assertArrayEquals(caCert, Files.readAllBytes(dir.resolve(Certificates.CA_CERT)), "the CA is kept");
    assertArrayEquals(caKey, Files.readAllBytes(dir.resolve(Certificates.CA_KEY)));
    X509Certificate ca = cert(dir.resolve(Certificates.CA_CERT));
    X509Certificate n3 = cert(Certificates.certPath(dir, "n3"));
    n3.verify(ca.getPublicKey());
    assertEquals(ca.getSubjectX500Principal(), n3.getIssuerX500Principal());
    String names = n3.getSubjectAlternativeNames().toString();
    assertTrue(names.contains("10.0.0.5") && names.contains("0:0:0:0:0:0:0:1") && names.contains("n3"), names);
    assertTrue(ca.getBasicConstraints() >= 0, "the CA may sign");
    assertEquals(-1, n3.getBasicConstraints(), "a node may not");
  }

  @Test
  void aCaKeyThatIsNotPemIsRefused() throws Exception {
    Path dir = tmp.resolve("certs");
    new Certificates().make(dir, List.of("n1"), List.of(), 30);
    Files.delete(dir.resolve(Certificates.CA_KEY));
    Files.writeString(dir.resolve(Certificates.CA_KEY), "not a key");
    Certificates.Refused e = assertThrows(Certificates.Refused.class,
      () -> new Certificates().make(dir, List.of("n2"), List.of(), 30));
    assertTrue(e.getMessage().contains("is not a PKCS#8 PEM private key"), e.getMessage());
  }

  @Test
  void aMissingOrFailingKeytoolIsReported() {
    IOException e = assertThrows(IOException.class, () -> new Certificates(tmp.resolve("no-keytool"))
      .make(tmp.resolve("a"), List.of("n1"), List.of(), 30));
    assertTrue(e.getMessage().contains("no keytool at"), e.getMessage());
    Path failing = Path.of("/bin/false");
    if (Files.isExecutable(failing)) {
      e = assertThrows(IOException.class, () -> new Certificates(failing).make(tmp.resolve("b"), List.of("n1"), List.of(), 30));
      assertTrue(e.getMessage().contains("keytool -genkeypair failed (exit 1)"), e.getMessage());
    }
  }

  private static X509Certificate cert(Path file) throws Exception {
    try (InputStream in = Files.newInputStream(file)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }
}
