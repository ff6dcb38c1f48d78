package dev.beach.launcher;

import dev.beach.launcher.impl.Certificates;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code beach certs}: a private CA and a key and certificate per node, made with the JDK's keytool, so mutual TLS
 * between nodes ({@code eventBus.tls}) is one command away. Prints what it made and the YAML each node needs.
 */
@Command(name = "certs", mixinStandardHelpOptions = true, sortOptions = false,
  description = {
    "Makes a private certificate authority and, signed by it, a key and certificate for each node: the PEM files "
      + "of eventBus.tls {keyPath, certPath, trustPath}. Nodes then accept only peers whose certificate this CA signed.",
    "Into a folder that already holds ca.pem and ca-key.pem, it signs new nodes with that CA instead, so nodes made "
      + "earlier trust them. Keys are written owner-only (0600); keep ca-key.pem off the nodes.",
    "Exit codes: 0 made, 1 keytool or the file system failed, 2 invalid input (nothing written)."},
  footer = {"", "Example: beach certs --out certs --node n1,n2,n3 --ip 127.0.0.1"})
public final class CertsCommand implements Callable<Integer> {

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "certs", description = "folder to write to (default ${DEFAULT-VALUE})")
  Path out;

  @Option(names = "--node", paramLabel = "NAME", split = ",", required = true,
    description = "the nodes to certify, e.g. their host names (the name is the file name and a DNS name in the certificate)")
  List<String> nodes;

  @Option(names = "--ip", paramLabel = "ADDRESS", split = ",", defaultValue = "127.0.0.1",
    description = "IP addresses every node certificate names besides its name and localhost (default ${DEFAULT-VALUE})")
  List<String> ips;

  @Option(names = "--days", paramLabel = "N", defaultValue = "" + Certificates.DEFAULT_DAYS,
    description = "validity in days (default ${DEFAULT-VALUE})")
  int days;

  @Override
  public Integer call() {
    PrintStream o = System.out;
    Path dir = out.toAbsolutePath().normalize();
    Certificates.Made made;
    try {
      made = new Certificates().make(dir, nodes, ips, days);
    } catch (Certificates.Refused e) {
      System.err.println("beach certs: " + e.getMessage());
      return 2;
    } catch (IOException e) {
      System.err.println("beach certs: " + e.getMessage());
      return 1;
    }
    o.println((made.newCa ? "made a new CA: " : "signed by the existing CA: ") + dir.resolve(Certificates.CA_CERT)
      + " (trust), " + dir.resolve(Certificates.CA_KEY) + " (its key: signs new nodes; keep it off the nodes)");
    for (String node : made.nodes) {
      o.println("node " + node + ": " + Certificates.certPath(dir, node) + ", " + Certificates.keyPath(dir, node)
        + " (valid " + days + " days)");
    }
    for (String node : made.nodes) {
      o.println();
      o.println("# " + node + "'s cluster.yaml (copy the three files to that machine and adjust the paths):");
      o.println("eventBus:");
      o.println("  tls:");
      o.println("    keyPath: " + Certificates.keyPath(dir, node));
      o.println("    certPath: " + Certificates.certPath(dir, node));
      o.println("    trustPath: " + dir.resolve(Certificates.CA_CERT));
    }
    return 0;
  }
}
