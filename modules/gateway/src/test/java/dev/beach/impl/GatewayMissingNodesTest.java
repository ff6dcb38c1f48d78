package dev.beach.impl;

import dev.beach.ActorSpec;
import dev.beach.Placement;
import dev.beach.gateway.Gateway;
import dev.beach.gateway.GatewayOptions;
import dev.beach.gateway.Http;
import dev.beach.gateway.TestActors;
import dev.beach.testkit.Await;
import dev.beach.testkit.TestCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code GET /v1/realms/{realm}/actors} says which nodes did not answer in time ({@code X-Missing-Nodes}), with a node
 * that is in the view but answers nothing: in this package to play it with {@code NodeRuntime.pauseControl}, as
 * {@code HungNodeTest} (testkit) does.
 */
class GatewayMissingNodesTest {

  private static final String REALM = "listing";
  private TestCluster cluster;
  private Gateway gateway;

  @AfterEach
  void tearDown() {
    if (gateway != null) {
      Await.result(gateway.close());
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void theActorListingNamesTheNodesThatDidNotAnswer() {
    cluster = TestCluster.start(2);
    for (int i = 0; i < 2; i++) {
      Await.result(cluster.beach(0).deploy(ActorSpec.of(REALM, TestActors.Echo.class, "e")
        .setPlacement(Placement.nodeId(cluster.node(i).id()))));
    }
    gateway = Await.result(Gateway.start(cluster.node(0), new GatewayOptions().setPort(0)));
    Http http = new Http("http://127.0.0.1:" + gateway.port());

    Http.Response complete = http.get("/v1/realms/" + REALM + "/actors");
    assertEquals(200, complete.status, complete.toString());
    assertEquals(2, complete.array().size());
    assertEquals("", complete.header("X-Missing-Nodes"), "every node answered");

    NodeRuntime hung = (NodeRuntime) cluster.node(1);
    hung.pauseControl(true);
    try {
      Http.Response partial = http.get("/v1/realms/" + REALM + "/actors");
      assertEquals(200, partial.status, partial.toString());
      assertEquals(hung.id(), partial.header("X-Missing-Nodes"));
      assertEquals(1, partial.array().size(), "what the answering node holds");
      assertEquals("1", partial.header("X-Total-Count"));
    } finally {
      hung.pauseControl(false);
    }
  }
}
