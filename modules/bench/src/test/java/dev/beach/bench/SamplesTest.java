package dev.beach.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SamplesTest {

  @Test
  void percentilesComeFromEverySampleByNearestRank() {
    Samples s = new Samples();
    for (long v = 100; v >= 1; v--) {
      s.add(v);
    }
    assertEquals(50, s.percentile(0.5));
    assertEquals(99, s.percentile(0.99));
    assertEquals(100, s.percentile(1.0));
    assertEquals(1, s.percentile(0.001));
  }

  @Test
  void mergedRoundsGiveTheTruePercentileNotAnAverageOfRounds() {
    Samples fast = new Samples();
    Samples slow = new Samples();
    for (int i = 0; i < 900; i++) {
      fast.add(1_000);
    }
    for (int i = 0; i < 100; i++) {
      slow.add(9_000);
    }
    Samples all = new Samples();
    all.addAll(fast);
    all.addAll(slow);
    // Averaging the two rounds' medians would say 5,000; nine requests in ten took 1,000.
    assertEquals(1_000, all.percentile(0.5));
    assertEquals(1_000, all.percentile(0.9));
    assertEquals(9_000, all.percentile(0.91));
    assertEquals(1000, all.size());
  }
}
