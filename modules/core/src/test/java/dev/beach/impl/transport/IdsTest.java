package dev.beach.impl.transport;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Correlation numbers: never repeated, never a counter or a stride, different on every thread. */
class IdsTest {

  @Test
  void corrsAreNeitherRepeatedNorSequential() throws Exception {
    Set<Long> seen = new HashSet<>();
    Set<Long> steps = new HashSet<>();
    long previous = Ids.corr();
    for (int i = 0; i < 100_000; i++) {
      long c = Ids.corr();
      assertTrue(seen.add(c), "repeated");
      steps.add(c - previous);
      previous = c;
    }
    assertTrue(steps.size() > 99_000, "consecutive numbers follow a pattern");
    long[] other = new long[1];
    Thread t = new Thread(() -> other[0] = Ids.corr());
    t.start();
    t.join();
    assertTrue(!seen.contains(other[0]) && other[0] != previous, "another thread repeats this one's numbers");
  }
}
