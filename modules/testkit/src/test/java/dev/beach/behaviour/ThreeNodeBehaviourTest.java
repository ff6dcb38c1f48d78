package dev.beach.behaviour;

import dev.beach.testkit.BeachCluster;
import dev.beach.testkit.TestCluster;

@BeachCluster(nodes = 3)
class ThreeNodeBehaviourTest extends ActorBehaviourSuite {
  ThreeNodeBehaviourTest(TestCluster cluster) {
    super(cluster);
  }
}
