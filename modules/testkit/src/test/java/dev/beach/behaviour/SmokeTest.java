package dev.beach.behaviour;

import dev.beach.ActorSpec;
import dev.beach.testkit.Await;
import dev.beach.testkit.TestCluster;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SmokeTest {
  @Test
  void twoNodes() {
    long t0 = System.currentTimeMillis();
    try (TestCluster c = TestCluster.start(2)) {
      System.out.println("started in " + (System.currentTimeMillis() - t0));
      List<String> ids = Await.result(c.beach(0).deploy(ActorSpec.of("t", TestActors.Echo.class, "echo").setInstances(4)));
      System.out.println("deployed " + ids);
      for (int i = 0; i < 10; i++) {
        JsonObject r = Await.result(c.beach(1).handle("t", "echo").request("whoami", new JsonObject()));
        System.out.println(r);
      }
      assertEquals(4, c.beach(1).directory("t", "echo").size());
    }
  }
}
