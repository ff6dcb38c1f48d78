package dev.beach.bench;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SoakSeriesTest {

  @Test
  void flatAfterTheWarmUpEvenIfItGrewDuringIt() {
    SoakSeries s = new SoakSeries(60_000, 0.10);
    long[] heap = {20, 35, 50, 52, 49, 54, 50};
    for (int i = 0; i < heap.length; i++) {
      s.add("n1", "live_heap_bytes", i * 30_000L, heap[i]);
    }
    JsonObject v = s.verdicts().getJsonObject("n1").getJsonObject("live_heap_bytes");
    assertTrue(v.getBoolean("flat"), v.encode());
    assertEquals(50, v.getLong("baseline"));
    assertEquals(8.0, v.getDouble("max_deviation_pct"));
    assertTrue(s.allFlat());
  }

  @Test
  void onePerJobGrowthIsNotFlatAndItsSlopeShows() {
    SoakSeries s = new SoakSeries(0, 0.10);
    for (int i = 0; i <= 10; i++) {
      s.add("n2", "open_fds", i * 60_000L, 200 + 30L * i);
      s.add("n2", "live_heap_bytes", i * 60_000L, 50);
    }
    JsonObject fds = s.verdicts().getJsonObject("n2").getJsonObject("open_fds");
    assertFalse(fds.getBoolean("flat"), fds.encode());
    assertEquals(30.0, fds.getDouble("slope_per_min"));
    assertTrue(s.verdicts().getJsonObject("n2").getJsonObject("live_heap_bytes").getBoolean("flat"));
    assertFalse(s.allFlat());
  }

  @Test
  void tooFewSamplesAfterTheWarmUpIsNoVerdictOfFlat() {
    SoakSeries s = new SoakSeries(60_000, 0.10);
    s.add("n1", "open_fds", 0, 100);
    s.add("n1", "open_fds", 70_000, 100);
    assertFalse(s.allFlat());
    assertFalse(new SoakSeries(0, 0.1).allFlat());
  }

  @Test
  void slopeIsPerMinute() {
    assertEquals(6.0, SoakSeries.slopePerMinute(List.of(new SoakSeries.Sample(0, 0), new SoakSeries.Sample(30_000, 3),
      new SoakSeries.Sample(60_000, 6))), 1e-9);
  }
}
