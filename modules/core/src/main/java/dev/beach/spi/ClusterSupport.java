package dev.beach.spi;

import dev.beach.ClusterOptions;
import dev.beach.impl.cluster.HazelcastSupport;
import io.vertx.core.VertxOptions;
import io.vertx.core.spi.cluster.ClusterManager;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a launcher (or a test, or a benchmark) needs to build the clustered Vert.x a node runs on, without
 * reaching into the runtime: the same Hazelcast configuration and event-bus options that
 * {@link dev.beach.BeachNode#clustered} uses, so a node started by {@code vertx-launcher-application} joins
 * exactly as one started in code.
 */
public final class ClusterSupport {

  private static final String JVM_FLAGS_RESOURCE = "node-jvm.args";

  private ClusterSupport() {
  }

  /**
   * Vert.x options whose event bus listens on {@code cluster.host} at {@code cluster.eventBusPort} (0: any free
   * port), with the cluster's mutual TLS when {@code eventBus.tls} is set.
   */
  public static VertxOptions vertxOptions(ClusterOptions cluster) {
    return HazelcastSupport.vertxOptions(cluster);
  }

  /** A Hazelcast cluster manager joining by the TCP-IP seed list only, phone-home off, logging through SLF4J. */
  public static ClusterManager clusterManager(ClusterOptions cluster) {
    return HazelcastSupport.clusterManager(cluster);
  }

  /**
   * A TCP port free on {@code host} at the time of the call (bound to port 0 and released). Another process may
   * take it before the caller binds it; for Hazelcast, which has no "any port", this is the best there is.
   *
   * @throws dev.beach.BeachException {@code BAD_REQUEST} when {@code host} is not an address of this machine
   */
  public static int freePort(String host) {
    return HazelcastSupport.freePort(host);
  }

  /** {@link #freePort(String)} on 127.0.0.1, for tests and benchmarks. */
  public static int freePort() {
    return freePort("127.0.0.1");
  }

  /**
   * The JVM flags every JVM that runs a node needs (Hazelcast's module access, logging through SLF4J), for code
   * that starts node JVMs itself (benchmarks, tests). Read from their one source, the java argument file
   * {@code node-jvm.args} beside this class, which {@code bin/beach} and the build pass as {@code @file}.
   */
  public static List<String> nodeJvmFlags() {
    try (InputStream in = ClusterSupport.class.getResourceAsStream(JVM_FLAGS_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the class path lacks dev/beach/spi/" + JVM_FLAGS_RESOURCE + " (beach-core's)");
      }
      List<String> flags = new ArrayList<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        String flag = line.replaceFirst("#.*", "").trim();
        if (!flag.isEmpty()) {
          flags.addAll(Arrays.asList(flag.split("\\s+")));
        }
      }
      return flags;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
