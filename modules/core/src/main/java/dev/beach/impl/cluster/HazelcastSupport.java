package dev.beach.impl.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.ClassFilter;
import com.hazelcast.config.Config;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.NetworkConfig;
import dev.beach.ClusterOptions;
import dev.beach.TlsOptions;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.TCPSSLOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.util.function.Consumer;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds the Hazelcast cluster manager and Vert.x options from {@link ClusterOptions}, in code, so no XML
 * on the classpath can change how Beach joins: TCP-IP member list only (no multicast, no auto-detection),
 * phone-home off, SLF4J logging, heartbeats tuned so a dead node is noticed in seconds, Java deserialization
 * filtered, and the structures Vert.x needs declared as in vertx-hazelcast's default-cluster.xml.
 */
public final class HazelcastSupport {

  private HazelcastSupport() {
  }

  public static Config config(ClusterOptions options) {
    if (options.getPort() == 0) {
      // Hazelcast has no "any port"; the public address must name the real one, so pick it here.
      options = new ClusterOptions(options).setPort(freePort(options.getHost()));
    }
    Config cfg = new Config();
    cfg.setClusterName(options.getName());
    cfg.setInstanceName("beach-" + options.getName() + "-" + options.getHost() + "-" + options.getPort() + "-" + System.nanoTime());
    cfg.setProperty("hazelcast.phone.home.enabled", "false");
    cfg.setProperty("hazelcast.logging.type", "slf4j");
    cfg.setProperty("hazelcast.heartbeat.interval.seconds", Integer.toString(options.getHeartbeatSeconds()));
    cfg.setProperty("hazelcast.max.no.heartbeat.seconds", Integer.toString(options.getMaxNoHeartbeatSeconds()));
    // A member that misses heartbeats is suspected, then removed: keep the whole detection in the same budget.
    cfg.setProperty("hazelcast.heartbeat.failuredetector.type", "deadline");
    // Defaults wait 5 s before joining and up to 20 s for a master: far too slow for a node or a test to start.
    cfg.setProperty("hazelcast.wait.seconds.before.join", "0");
    cfg.setProperty("hazelcast.max.wait.seconds.before.join", "1");
    cfg.setProperty("hazelcast.socket.bind.any", "false");
    cfg.setProperty("hazelcast.local.localAddress", options.getHost());
    cfg.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
    cfg.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
    cfg.setProperty("hazelcast.graceful.shutdown.max.wait", "10");

    NetworkConfig net = cfg.getNetworkConfig();
    net.setPort(options.getPort());
    net.setPortAutoIncrement(false);
    net.setPublicAddress(options.getHost() + ":" + options.getPort());
    JoinConfig join = net.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getAwsConfig().setEnabled(false);
    join.getKubernetesConfig().setEnabled(false);
    List<String> members = new ArrayList<>(options.getSeeds());
    members.add(options.getHost() + ":" + options.getPort());
    join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(2).setMembers(members);

    cfg.getSerializationConfig().setJavaSerializationFilterConfig(javaSerializationFilter());

    cfg.addMultiMapConfig(new MultiMapConfig("__vertx.subs").setBackupCount(1)
      .setValueCollectionType(MultiMapConfig.ValueCollectionType.SET));
    cfg.addMapConfig(new MapConfig("__vertx.haInfo").setBackupCount(1));
    cfg.addMapConfig(new MapConfig("__vertx.nodeInfo").setBackupCount(1));
    // Desired state survives node deaths: two synchronous backups (a few small entries), so two nodes dying before
    // Hazelcast re-replicates lose nothing; after a split, the latest write of each deployment wins the merge
    // (a removal is a newer tombstone, so it is not undone by the other side's older record).
    cfg.addMapConfig(new MapConfig(dev.beach.Address.DEPLOYMENTS_MAP).setBackupCount(2).setPerEntryStatsEnabled(true)
      .setMergePolicyConfig(new com.hazelcast.config.MergePolicyConfig()
        .setPolicy(com.hazelcast.spi.merge.LatestUpdateMergePolicy.class.getName())));
    cfg.addMapConfig(new MapConfig(dev.beach.Address.DEPLOYMENT_STATUS_MAP).setBackupCount(1));
    return cfg;
  }

  /**
   * What Hazelcast may rebuild through Java serialization: its own classes, the JDK's ({@code java*}) and arrays
   * (Hazelcast's default allowlist), minus the JDK packages that published gadget chains step through (JMX,
   * JNDI, RMI, scripting). Nothing of Vert.x or Beach needs more: vertx-hazelcast stores event-bus
   * subscriptions ({@code __vertx.subs}: HazelcastRegistrationInfo), node infos ({@code __vertx.nodeInfo}:
   * HazelcastNodeInfo) and {@code ClusterSerializable} values such as Beach's code entries (DataSerializableHolder)
   * as Hazelcast DataSerializable, {@code __vertx.haInfo} as strings. Without the filter, a member that joins
   * could plant any Serializable class of the classpath in a map for every node to deserialize.
   */
  static JavaSerializationFilterConfig javaSerializationFilter() {
    return new JavaSerializationFilterConfig()
      .setDefaultsDisabled(false)
      .setBlacklist(new ClassFilter().addPrefixes("javax.management.", "javax.naming.", "java.rmi.", "javax.script."));
  }

  public static int freePort(String host) {
    // Below the kernel's ephemeral range: a port probed there and bound a moment later by Hazelcast cannot meanwhile
    // become the source port of some outgoing connection, as a port the kernel picked for bind(0) could (a test run
    // once lost that race: "Port ... is already in use"). Random, then checked by binding it.
    int[] ephemeral = ephemeralRange();
    int low = 20_000;
    int high = Math.min(ephemeral[0], 65_536);
    java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
    for (int attempt = 0; high - low > 1_000 && attempt < 50; attempt++) {
      int port = random.nextInt(low, high);
      try (java.net.ServerSocket s = new java.net.ServerSocket()) {
        s.bind(new java.net.InetSocketAddress(host, port));
        return port;
      } catch (java.io.IOException taken) {
        // in use: try another
      }
    }
    try (java.net.ServerSocket s = new java.net.ServerSocket()) {
      s.bind(new java.net.InetSocketAddress(host, 0));
      return s.getLocalPort();
    } catch (java.io.IOException e) {
      throw new dev.beach.BeachException(dev.beach.ErrorCode.BAD_REQUEST, "cluster.host " + host
        + " is not an address of this machine: " + e.getMessage());
    }
  }

  /** The kernel's ephemeral port range (Linux), or the IANA one where it cannot be read. */
  private static int[] ephemeralRange() {
    try {
      String[] range = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
        .trim().split("\\s+");
      return new int[]{Integer.parseInt(range[0]), Integer.parseInt(range[1])};
    } catch (RuntimeException | java.io.IOException e) {
      return new int[]{49_152, 65_535};
    }
  }

  /** The Hazelcast member attribute in which Vert.x keeps its node id. */
  private static final String VERTX_NODE_ID_ATTRIBUTE = "__vertx.nodeId";

  /** The Hazelcast instance behind {@code cm}, or null (no cluster, or another cluster manager). */
  public static HazelcastInstance hazelcastOf(ClusterManager cm) {
    return cm instanceof HazelcastClusterManager ? ((HazelcastClusterManager) cm).getHazelcastInstance() : null;
  }

  /** The Vert.x node id of a Hazelcast member, or null when it runs no Vert.x. */
  public static String nodeIdOf(Member member) {
    return member.getAttribute(VERTX_NODE_ID_ATTRIBUTE);
  }

  /**
   * A membership listener telling {@code left} the Vert.x node id of each member that leaves. Beach adds its own:
   * Vert.x owns the cluster manager's single node listener.
   */
  public static MembershipListener departures(Consumer<String> left) {
    return new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent e) {
        // joins are learnt from the joiner's own node.joined event, once its actors can be listed
      }

      @Override
      public void memberRemoved(MembershipEvent e) {
        String n = nodeIdOf(e.getMember());
        if (n != null) {
          left.accept(n);
        }
      }
    };
  }

  public static HazelcastClusterManager clusterManager(ClusterOptions options) {
    return new HazelcastClusterManager(config(options));
  }

  /** Vert.x options whose event bus listens on the cluster host, on {@code eventBusPort} (0: any free port). */
  public static VertxOptions vertxOptions(ClusterOptions options) {
    EventBusOptions eb = new EventBusOptions()
      .setHost(options.getHost())
      .setPort(options.getEventBusPort())
      .setClusterPublicHost(options.getHost());
    if (options.tlsEnabled()) {
      eb.setClientAuth(ClientAuth.REQUIRED);
    }
    return new VertxOptions().setEventBusOptions(tls(eb, options));
  }

  /**
   * The cluster's TLS (when set) on {@code tcp}: this node's key and certificate, and the certificates it trusts
   * for peers. Servers add {@code ClientAuth.REQUIRED}, so a node accepts connections only from peers whose
   * certificate it trusts (mutual TLS). Used by the event bus and by the node links alike.
   */
  public static <O extends TCPSSLOptions> O tls(O tcp, ClusterOptions options) {
    if (options.tlsEnabled()) {
      TlsOptions tls = options.getTls();
      tcp.setSsl(true)
        .setKeyCertOptions(new PemKeyCertOptions().setKeyPath(tls.getKeyPath()).setCertPath(tls.getCertPath()))
        .setTrustOptions(new PemTrustOptions().addCertPath(tls.getTrustPath()));
    }
    return tcp;
  }
}
