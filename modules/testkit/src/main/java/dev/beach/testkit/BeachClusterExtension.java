package dev.beach.testkit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Runs a {@link TestCluster} per test class, as {@link BeachCluster} describes it. */
public final class BeachClusterExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(BeachClusterExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    BeachCluster spec = context.getRequiredTestClass().getAnnotation(BeachCluster.class);
    int n = spec == null ? 3 : spec.nodes();
    boolean clustered = spec == null || spec.clustered();
    List<List<String>> tags = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String t = spec != null && i < spec.tags().length ? spec.tags()[i] : "";
      tags.add(t.isBlank() ? List.of() : Arrays.asList(t.split(",")));
    }
    TestCluster cluster = TestCluster.start(n, clustered, tags);
    context.getStore(NS).put(TestCluster.class, cluster);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    TestCluster cluster = context.getStore(NS).remove(TestCluster.class, TestCluster.class);
    if (cluster != null) {
      cluster.close();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
    return p.getParameter().getType() == TestCluster.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext e) {
    ExtensionContext c = e;
    while (c != null) {
      TestCluster cluster = c.getStore(NS).get(TestCluster.class, TestCluster.class);
      if (cluster != null) {
        return cluster;
      }
      c = c.getParent().orElse(null);
    }
    throw new IllegalStateException("no TestCluster: annotate the test class with @BeachCluster");
  }
}
