package dev.beach.bench;

import ch.qos.logback.classic.Level;
import dev.beach.BeachNode;
import dev.beach.NodeOptions;
import dev.beach.gateway.Gateway;
import dev.beach.gateway.GatewayOptions;
import org.slf4j.LoggerFactory;

import java.util.Arrays;

/**
 * One node of the failover scenario, in a JVM of its own so that it can be killed with {@code kill -9}: a clustered
 * node with the HTTP gateway, realm code from a folder and its own data folder, as {@code beach node} runs it
 * (default heartbeats and reconcile interval). Prints {@code READY <nodeId> <gatewayPort>}.
 * <p>
 * Arguments: {@code <hazelcastPort> <seed,seed> <codeDir> <dataDir>}.
 */
public final class FailoverNode {

  static final String READY = "READY ";

  private FailoverNode() {
  }

  public static void main(String[] args) {
    try {
      Bench.quietLogging();
      // Peers dying is what this scenario does: the warnings it makes Hazelcast, Vert.x and Netty print are expected.
      for (String noisy : new String[]{"com.hazelcast", "io.vertx", "io.netty"}) {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(noisy)).setLevel(Level.ERROR);
      }
      // ... and a connection reset by the killed peer is logged at ERROR.
      ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.vertx.core.net.impl.ConnectionBase")).setLevel(Level.OFF);
      BeachNode node = Bench.await(BeachNode.clustered(new NodeOptions()
        .setCluster(Peer.loopback(Integer.parseInt(args[0]), Arrays.asList(args[1].split(","))))
        .setCodeDir(args[2]).setDataDir(args[3])));
      Gateway gateway = Bench.await(Gateway.start(node, new GatewayOptions().setPort(0)));
      System.out.println(READY + node.id() + " " + gateway.port());
    } catch (Throwable t) {
      ChildJvm.fail(t);
    }
    ChildJvm.haltWhenInputCloses();
  }
}
