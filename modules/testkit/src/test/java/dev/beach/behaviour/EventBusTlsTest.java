package dev.beach.behaviour;

import dev.beach.ActorSpec;
import dev.beach.BeachNode;
import dev.beach.ClusterOptions;
import dev.beach.NodeOptions;
import dev.beach.Placement;
import dev.beach.spi.ClusterSupport;
import dev.beach.testkit.Await;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SelfSignedCertificate;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two nodes whose event bus runs mutual TLS still serve each other's requests. */
class EventBusTlsTest {

  @Test
  void nodesWithTrustedCertificatesTalkOverTls() throws Exception {
    SelfSignedCertificate cert = SelfSignedCertificate.create("localhost");
    int p1 = ClusterSupport.freePort();
    int p2 = ClusterSupport.freePort();
    List<String> seeds = List.of("127.0.0.1:" + p1, "127.0.0.1:" + p2);
    List<BeachNode> nodes = new ArrayList<>();
    try {
      for (int port : new int[]{p1, p2}) {
        NodeOptions o = new NodeOptions(new JsonObject()
          .put("cluster", new ClusterOptions().setHost("127.0.0.1").setPort(port).setSeeds(seeds).toJson())
          .put("eventBus", new JsonObject().put("tls", new JsonObject().put("keyPath", cert.privateKeyPath())
            .put("certPath", cert.certificatePath()).put("trustPath", cert.certificatePath()))));
        assertTrue(o.getCluster().tlsEnabled());
        nodes.add(Await.result(BeachNode.clustered(o)));
      }
      assertTrue(((VertxInternal) nodes.get(0).vertx()).clusterManager() != null);
      Await.result(nodes.get(0).beach().deploy(ActorSpec.of("tls", TestActors.Echo.class, "echo")
        .setPlacement(Placement.nodeId(nodes.get(1).id()))));
      JsonObject r = Await.result(nodes.get(0).beach().handle("tls", "echo").request("whoami", null));
      assertEquals(nodes.get(1).id(), r.getString("node"));
    } finally {
      for (BeachNode n : nodes) {
        Await.result(n.close());
      }
      cert.delete();
    }
  }
}
