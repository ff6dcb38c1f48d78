package dev.beach.compute;

import dev.beach.testkit.BeachCluster;
import dev.beach.testkit.TestCluster;

/** The suite on two clustered nodes: workers on both, the job driven from the first. */
@BeachCluster(nodes = 2)
class TwoNodeJobsTest extends JobsSuite {
  TwoNodeJobsTest(TestCluster cluster) {
    super(cluster);
  }
}
