package dev.beach.testkit;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Starts {@link #nodes()} Beach nodes in this JVM on 127.0.0.1 before the test class and stops them after.
 * Test methods (and constructors, {@code @BeforeAll}...) receive the {@link TestCluster} as a parameter.
 * With {@code clustered = false} (and one node) the node runs on a plain Vert.x: no Hazelcast, fastest.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(BeachClusterExtension.class)
public @interface BeachCluster {

  /** How many nodes (at most 3 on a 2-core machine is the project's rule). */
  int nodes() default 3;

  boolean clustered() default true;

  /** Tags per node, in order: {@code {"gpu", "", "edge,ssd"}}. */
  String[] tags() default {};
}
