package dev.beach.behaviour;

import dev.beach.testkit.BeachCluster;
import dev.beach.testkit.TestCluster;

@BeachCluster(nodes = 1, clustered = false)
class SingleNodeBehaviourTest extends ActorBehaviourSuite {
  SingleNodeBehaviourTest(TestCluster cluster) {
    super(cluster);
  }
}
