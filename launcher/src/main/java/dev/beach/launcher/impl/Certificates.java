package dev.beach.launcher.impl;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A private certificate authority and node certificates for the cluster's mutual TLS, made with the JDK's own
 * {@code keytool} (the JDK has no public API that builds a certificate) and written as the PEM files
 * {@code eventBus.tls} reads: {@code <node>-key.pem} (PKCS#8, owner-only), {@code <node>.pem}, and {@code ca.pem}
 * as every node's {@code trustPath}. The CA's key stays in {@code ca-key.pem} (owner-only): a later run into the
 * same folder signs new nodes with it, so the nodes already out there trust them.
 * <p>
 * keytool's key stores live in a private temporary folder with a random password handed over in its environment
 * (never on a command line other users can read), and are deleted when the run ends.
 */
public final class Certificates {

  public static final String CA_CERT = "ca.pem";
  public static final String CA_KEY = "ca-key.pem";
  public static final int DEFAULT_DAYS = 825;
  public static final int MAX_DAYS = 36_500;

  /** Host-name-like: used as file name, common name and DNS subject alternative name. */
  private static final Pattern NODE_NAME = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9.-]{0,61}[A-Za-z0-9])?");
  private static final String OCTET = "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
  /** Dotted IPv4 (all four parts), or something IPv6-shaped that {@link InetAddress} then parses. */
  private static final Pattern IP_LITERAL = Pattern.compile(OCTET + "(?:\\." + OCTET + "){3}|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
  private static final String PASSWORD_VARIABLE = "BEACH_CERTS_STOREPASS";
  private static final String KEY_ALGORITHM = "EC";
  private static final String CURVE = "secp256r1";
  private static final String SIGNATURE = "SHA256withECDSA";
  private static final long KEYTOOL_TIMEOUT_SECONDS = 120;

  /** Input that cannot make certificates (a bad name, files already there): the message says what to change. */
  public static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Refused(String message) {
      super(message, null, false, false);
    }
  }

  /** What one run made: whether the CA is new, and the nodes now certified. */
  public static final class Made {
    public final Path dir;
    public final boolean newCa;
    public final List<String> nodes;

    Made(Path dir, boolean newCa, List<String> nodes) {
      this.dir = dir;
      this.newCa = newCa;
      this.nodes = List.copyOf(nodes);
    }
  }

  private final Path keytool;

  public Certificates() {
    this(Path.of(System.getProperty("java.home"), "bin",
      System.getProperty("os.name").startsWith("Windows") ? "keytool.exe" : "keytool"));
  }

  Certificates(Path keytool) {
    this.keytool = keytool;
  }

  public static Path keyPath(Path dir, String node) {
    return dir.resolve(node + "-key.pem");
  }

  public static Path certPath(Path dir, String node) {
    return dir.resolve(node + ".pem");
  }

  /**
   * Makes {@code dir}'s CA if it has none, then a key and a certificate signed by it for each node, valid
   * {@code days} days, naming the node, {@code localhost} and each of {@code ips}.
   *
   * @throws Refused     for input to change; nothing is written then
   * @throws IOException when keytool or the file system fails
   */
  public Made make(Path dir, List<String> nodes, List<String> ips, int days) throws IOException {
    checkInput(dir, nodes, ips, days);
    boolean haveCert = Files.exists(dir.resolve(CA_CERT));
    boolean haveKey = Files.exists(dir.resolve(CA_KEY));
    if (haveCert != haveKey) {
      throw new Refused(dir + " holds " + (haveCert ? CA_CERT + " but not " + CA_KEY : CA_KEY + " but not " + CA_CERT)
        + ": restore the missing file, or use another folder for a new CA");
    }
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir, ownerOnly(true));
    }
    Path work = Files.createTempDirectory("beach-certs", ownerOnly(true));
    try {
      Keytool kt = new Keytool(keytool, work);
      Path caStore = work.resolve("ca.p12");
      if (haveCert) {
        importCa(dir, caStore, kt.password);
      } else {
        kt.run("-genkeypair", "-alias", "ca", "-keyalg", KEY_ALGORITHM, "-groupname", CURVE, "-sigalg", SIGNATURE,
          "-dname", "CN=Beach cluster CA " + HexFormat.of().formatHex(random(4)),
          "-ext", "BasicConstraints:critical=ca:true,pathlen:0", "-ext", "KeyUsage:critical=keyCertSign,cRLSign",
          "-validity", String.valueOf(days), "-keystore", caStore.toString(), "-storetype", "PKCS12");
        KeyStore ca = load(caStore, kt.password);
        write(dir.resolve(CA_KEY), pem("PRIVATE KEY", ca.getKey("ca", kt.password.toCharArray()).getEncoded()), true);
        write(dir.resolve(CA_CERT), pem("CERTIFICATE", ca.getCertificate("ca").getEncoded()), false);
      }
      StringBuilder san = new StringBuilder();
      for (String ip : ips) {
        san.append(",ip:").append(ip);
      }
      for (String node : nodes) {
        Path store = work.resolve(node + ".p12");
        Path csr = work.resolve(node + ".csr");
        Path cert = work.resolve(node + ".pem");
        kt.run("-genkeypair", "-alias", node, "-keyalg", KEY_ALGORITHM, "-groupname", CURVE, "-sigalg", SIGNATURE,
          "-dname", "CN=" + node, "-validity", String.valueOf(days), "-keystore", store.toString(), "-storetype", "PKCS12");
        kt.run("-certreq", "-alias", node, "-keystore", store.toString(), "-file", csr.toString());
        kt.run("-gencert", "-alias", "ca", "-keystore", caStore.toString(), "-infile", csr.toString(),
          "-outfile", cert.toString(), "-rfc", "-sigalg", SIGNATURE, "-validity", String.valueOf(days),
          "-ext", "SubjectAlternativeName=dns:" + node + ",dns:localhost" + san,
          "-ext", "KeyUsage:critical=digitalSignature", "-ext", "ExtendedKeyUsage=serverAuth,clientAuth");
        Key key = load(store, kt.password).getKey(node, kt.password.toCharArray());
        write(keyPath(dir, node), pem("PRIVATE KEY", key.getEncoded()), true);
        write(certPath(dir, node), Files.readString(cert, StandardCharsets.US_ASCII), false);
      }
      return new Made(dir, !haveCert, nodes);
    } catch (GeneralSecurityException e) {
      throw new IOException("could not read what keytool made: " + e, e);
    } finally {
      deleteTree(work);
    }
  }

  private static void checkInput(Path dir, List<String> nodes, List<String> ips, int days) {
    if (nodes.isEmpty()) {
      throw new Refused("name at least one node: --node NAME[,NAME...]");
    }
    HashSet<String> seen = new HashSet<>();
    for (String node : nodes) {
      if (!NODE_NAME.matcher(node).matches() || node.contains("..") || node.equalsIgnoreCase("ca")) {
        throw new Refused("node name '" + node + "' must be a host name (letters, digits, '.', '-'; up to 63; not 'ca')");
      }
      if (!seen.add(node.toLowerCase(java.util.Locale.ROOT))) {
        throw new Refused("node '" + node + "' is named twice");
      }
      for (Path p : List.of(keyPath(dir, node), certPath(dir, node))) {
        if (Files.exists(p)) {
          throw new Refused(p + " exists already: delete it to make node '" + node + "' again");
        }
      }
    }
    for (String ip : ips) {
      if (!IP_LITERAL.matcher(ip).matches() || !isAddress(ip)) {
        throw new Refused("--ip '" + ip + "' is not an IPv4 or IPv6 address");
      }
    }
    if (days < 1 || days > MAX_DAYS) {
      throw new Refused("--days must be 1.." + MAX_DAYS + ", not " + days);
    }
  }

  private static boolean isAddress(String literal) {
    try {
      // A literal (checked above) is parsed, never looked up.
      InetAddress.getByName(literal);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The folder's CA back into a key store, so keytool can sign with it. */
  private static void importCa(Path dir, Path caStore, String password) throws IOException, GeneralSecurityException {
    Certificate caCert;
    try (InputStream in = Files.newInputStream(dir.resolve(CA_CERT))) {
      caCert = CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    byte[] der = unpem(Files.readString(dir.resolve(CA_KEY), StandardCharsets.US_ASCII), dir.resolve(CA_KEY));
    PrivateKey caKey = KeyFactory.getInstance(caCert.getPublicKey().getAlgorithm())
      .generatePrivate(new PKCS8EncodedKeySpec(der));
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("ca", caKey, password.toCharArray(), new Certificate[]{caCert});
    try (OutputStream out = Files.newOutputStream(caStore)) {
      ks.store(out, password.toCharArray());
    }
  }

  private static KeyStore load(Path store, String password) throws IOException, GeneralSecurityException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      ks.load(in, password.toCharArray());
    }
    return ks;
  }

  static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
      + Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(der)
      + "\n-----END " + type + "-----\n";
  }

  private static byte[] unpem(String text, Path file) {
    int begin = text.indexOf("-----BEGIN PRIVATE KEY-----");
    int end = text.indexOf("-----END PRIVATE KEY-----");
    if (begin < 0 || end < begin) {
      throw new Refused(file + " is not a PKCS#8 PEM private key (-----BEGIN PRIVATE KEY-----)");
    }
    return Base64.getMimeDecoder().decode(text.substring(begin + "-----BEGIN PRIVATE KEY-----".length(), end));
  }

  /** Writes a new file, owner-only from its creation when it holds a key; never over an existing one. */
  private static void write(Path file, String text, boolean secret) throws IOException {
    try (OutputStream out = Files.newOutputStream(create(file, secret), StandardOpenOption.WRITE)) {
      out.write(text.getBytes(StandardCharsets.US_ASCII));
    }
  }

  private static Path create(Path file, boolean secret) throws IOException {
    try {
      Path created = Files.createFile(file, secret ? ownerOnly(false) : new FileAttribute<?>[0]);
      if (secret && !posix()) {
        // No POSIX permissions (Windows): the closest the JDK offers.
        java.io.File f = created.toFile();
        f.setReadable(false, false);
        f.setWritable(false, false);
        f.setReadable(true, true);
        f.setWritable(true, true);
      }
      return created;
    } catch (FileAlreadyExistsException e) {
      throw new Refused(file + " exists already: delete it, or use another folder");
    }
  }

  private static boolean posix() {
    return java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }

  private static FileAttribute<?>[] ownerOnly(boolean directory) {
    if (!posix()) {
      return new FileAttribute<?>[0];
    }
    return new FileAttribute<?>[]{PosixFilePermissions.asFileAttribute(
      PosixFilePermissions.fromString(directory ? "rwx------" : "rw-------"))};
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    new SecureRandom().nextBytes(b);
    return b;
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temporary folder: the system cleans it up in the end
    }
  }

  /** Runs keytool with this run's store password in its environment. */
  private static final class Keytool {
    final Path exe;
    final Path work;
    final String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random(24));

    Keytool(Path exe, Path work) {
      this.exe = exe;
      this.work = work;
    }

    void run(String... args) throws IOException {
      if (!Files.isExecutable(exe)) {
        throw new IOException("no keytool at " + exe + ": beach certs needs a full JDK or JRE runtime");
      }
      List<String> command = new ArrayList<>(List.of(exe.toString(), "-noprompt"));
      command.addAll(List.of(args));
      command.addAll(List.of("-storepass:env", PASSWORD_VARIABLE));
      ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true);
      pb.environment().put(PASSWORD_VARIABLE, password);
      Process p = pb.start();
      p.getOutputStream().close();
      byte[] output;
      try (InputStream in = p.getInputStream()) {
        output = in.readAllBytes();
      }
      try {
        if (!p.waitFor(KEYTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new IOException("keytool " + args[0] + " did not finish in " + KEYTOOL_TIMEOUT_SECONDS + " s");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
        throw new IOException("interrupted while keytool " + args[0] + " ran", e);
      }
      if (p.exitValue() != 0) {
        throw new IOException("keytool " + args[0] + " failed (exit " + p.exitValue() + "): "
          + new String(output, StandardCharsets.UTF_8).trim());
      }
    }
  }
}
