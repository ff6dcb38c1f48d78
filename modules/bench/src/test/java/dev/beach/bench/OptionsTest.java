package dev.beach.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OptionsTest {

  @Test
  void readsNumbersSecondsFlagsAndDefaults() {
    Options o = new Options(List.of("--items", "1_000", "--seconds", "0.5", "--file", "--chunk", "10"));
    assertEquals(1000, o.number("items", 1));
    assertEquals(0.5, o.seconds("seconds", 5));
    assertTrue(o.flag("file"));
    assertNull(o.text("file", null));
    assertEquals(10, o.number("chunk", 1000));
    assertEquals(7, o.number("workers", 7));
    assertFalse(o.flag("no-metrics"));
    o.done();
  }

  @Test
  void aMistypedOptionIsAnErrorNotADefault() {
    Options o = new Options(List.of("--second", "5"));
    assertEquals(5, o.seconds("seconds", 5));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, o::done);
    assertTrue(e.getMessage().contains("--second"), e.getMessage());
  }

  @Test
  void durationsTakeAUnitOrPlainSeconds() {
    Options o = new Options(List.of("--a", "3m", "--b", "90s", "--c", "1.5", "--d", "1h", "--e", "250ms"));
    assertEquals(180, o.duration("a", 0));
    assertEquals(90, o.duration("b", 0));
    assertEquals(1.5, o.duration("c", 0));
    assertEquals(3600, o.duration("d", 0));
    assertEquals(0.25, o.duration("e", 0));
    assertEquals(42, o.duration("f", 42));
    for (String bad : List.of("m", "3x", "-1m", "2d", "25h", "s3")) {
      assertThrows(IllegalArgumentException.class, () -> new Options(List.of("--d", bad)).duration("d", 1), bad);
    }
  }

  @Test
  void aBadValueOrAStrayWordIsAnError() {
    assertThrows(IllegalArgumentException.class, () -> new Options(List.of("--items", "many")).number("items", 1));
    assertThrows(IllegalArgumentException.class, () -> new Options(List.of("--seconds", "-1")).seconds("seconds", 1));
    assertThrows(IllegalArgumentException.class, () -> new Options(List.of("items", "5")));
  }
}
