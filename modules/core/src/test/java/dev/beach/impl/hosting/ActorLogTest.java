package dev.beach.impl.hosting;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.beach.ActorLogger;
import dev.beach.LogLine;
import dev.beach.LogPage;
import dev.beach.LogQuery;
import dev.beach.NodeOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.event.Level;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One actor's log ring and the node's reads of it: bounds, rate, truncation, budget, cursors. */
class ActorLogTest {

  private static NodeLogs logs(NodeOptions options) {
    return new NodeLogs("n1", new Cells(null), options);
  }

  /** A ring the node's reads find (the stopped actors' rings are read like the running ones). */
  private static ActorLog ring(NodeLogs logs, String actor) {
    ActorLog log = logs.open(actor, "r", List.of("cat.sub"), System.currentTimeMillis());
    logs.retire(log);
    return log;
  }

  private static LogPage read(NodeLogs logs, LogQuery query) {
    JsonObject part = logs.read("r", query.validate());
    List<LogLine> lines = new ArrayList<>();
    part.getJsonArray("lines").forEach(l -> lines.add(LogLine.fromJson((JsonObject) l)));
    return new LogPage(lines, Map.of("n1", part.getLong("cursor")), part.getLong("dropped"));
  }

  private static List<String> messages(LogPage page) {
    List<String> out = new ArrayList<>();
    page.lines().forEach(l -> out.add(l.message()));
    return out;
  }

  @Test
  void keepsTheMostRecentLinesWithLevelTimeAndActor() {
    NodeLogs logs = logs(new NodeOptions().setLogLines(4));
    ActorLog a = ring(logs, "a1");
    long before = System.currentTimeMillis();
    a.record(Level.INFO, "one {}", new Object[] {1});
    LogPage page = read(logs, new LogQuery().setActor("a1"));
    assertEquals(List.of("started", "one 1"), messages(page));
    LogLine line = page.lines().get(1);
    assertEquals("INFO", line.level());
    assertEquals("a1", line.actor());
    assertEquals("n1", line.node());
    assertTrue(line.time() >= before);
    for (int i = 2; i <= 6; i++) {
      a.record(Level.WARN, "line {}", new Object[] {i});
    }
    assertEquals(List.of("line 3", "line 4", "line 5", "line 6"), messages(read(logs, new LogQuery().setActor("a1"))),
      "the ring keeps the last 4 lines, and the made-up started line goes once it would be older than them");
  }

  @Test
  void aFloodNeverGrowsTheRingPastItsBoundAndCountsWhatItDropped() throws Exception {
    int lines = 50;
    int perSecond = 1000;
    NodeLogs logs = logs(new NodeOptions().setLogLines(lines).setLogLinesPerSecond(perSecond).setLogLineBytes(64));
    ActorLog a = ring(logs, "flood");
    String big = "x".repeat(10_000);
    long tries = 0;
    long kept = 0;
    long until = System.currentTimeMillis() + 1500;
    while (System.currentTimeMillis() < until) {
      if (a.record(Level.INFO, "{} {}", new Object[] {tries, big})) {
        kept++;
      }
      tries++;
      if (tries % 10_000 == 0) {
        assertTrue(a.size() <= lines, "ring holds " + a.size() + " lines");
        assertTrue(logs.heldBytes() <= lines * (NodeLogs.ENTRY_BYTES + 64L), "ring holds " + logs.heldBytes() + " bytes");
      }
    }
    assertTrue(tries > 10_000, "the loop ran " + tries + " times");
    assertTrue(kept <= 3L * perSecond, kept + " lines kept in 1.5 s at " + perSecond + "/s");
    assertEquals(tries - kept, a.dropped());
    Thread.sleep(1000 - System.currentTimeMillis() % 1000 + 5); // the flood's last second is over
    LogPage page = read(logs, new LogQuery().setActor("flood").setLevel("warn"));
    assertTrue(page.lines().stream().anyMatch(l -> l.message().matches("\\d+ lines dropped \\(over node.logLinesPerSecond = 1000\\)")), messages(page).toString());
    assertEquals(tries - kept, page.dropped());
    assertTrue(a.size() <= lines);
    assertTrue(read(logs, new LogQuery().setActor("flood")).lines().stream()
      .allMatch(l -> l.message().length() <= 64 && (l.truncated() || l.message().contains("dropped"))));
  }

  @Test
  void overTheRateBoundOneLineSaysHowManyWentAndSlf4jIsSparedToo() throws Exception {
    NodeLogs logs = logs(new NodeOptions().setLogLinesPerSecond(5));
    ActorLog a = ring(logs, "chatty");
    Logger slf4j = (Logger) LoggerFactory.getLogger(ActorLogTest.class);
    ListAppender<ILoggingEvent> seen = new ListAppender<>();
    seen.start();
    slf4j.addAppender(seen);
    try {
      ActorLogger log = new ActorLogger(ActorLogTest.class, "r", "cat", "chatty", "n1", a);
      Thread.sleep(1000 - System.currentTimeMillis() % 1000 + 5); // all 20 lines in one second
      for (int i = 0; i < 20; i++) {
        log.warn("warning {}", i);
      }
      assertEquals(5, seen.list.size(), "SLF4J got the lines within the bound only");
      assertEquals(15, a.dropped());
      Thread.sleep(1000);
      List<String> lines = messages(read(logs, new LogQuery().setActor("chatty")));
      assertEquals(List.of("started", "warning 0", "warning 1", "warning 2", "warning 3", "warning 4",
        "15 lines dropped (over node.logLinesPerSecond = 5)"), lines);
      assertEquals(7, messages(read(logs, new LogQuery().setActor("chatty"))).size(), "said once");
    } finally {
      slf4j.detachAppender(seen);
    }
  }

  @Test
  void aLongLineIsCutToLineBytesWithoutSplittingACharacter() {
    NodeLogs logs = logs(new NodeOptions().setLogLineBytes(64));
    ActorLog a = ring(logs, "long");
    a.record(Level.INFO, "{}", new Object[] {"é".repeat(100)}); // 2 bytes each
    a.record(Level.INFO, "{}", new Object[] {"a" + "😀".repeat(40)}); // 1 + 4 bytes each
    a.record(Level.INFO, "short", null);
    List<LogLine> lines = read(logs, new LogQuery().setActor("long")).lines();
    assertEquals("é".repeat(32), lines.get(1).message());
    assertTrue(lines.get(1).truncated());
    assertEquals("a" + "😀".repeat(15), lines.get(2).message());
    assertFalse(lines.get(3).truncated());
    assertEquals(null, lines.get(3).toJson().getValue("truncated"));
  }

  @Test
  void aThrowableArgumentIsShownAfterTheMessage() {
    NodeLogs logs = logs(new NodeOptions());
    ActorLog a = ring(logs, "t");
    a.record(Level.ERROR, "failed on {}", new Object[] {"x", new IllegalStateException("boom")});
    assertEquals("failed on x: java.lang.IllegalStateException: boom",
      read(logs, new LogQuery().setActor("t")).lines().get(1).message());
  }

  @Test
  void theTraceIdComesFromTheMdc() {
    NodeLogs logs = logs(new NodeOptions());
    ActorLog a = ring(logs, "traced");
    MDC.put(ActorLog.TRACE_KEY, "4bf92f3577b34da6a3ce929d0e0e4736");
    try {
      a.record(Level.INFO, "in a trace", null);
    } finally {
      MDC.remove(ActorLog.TRACE_KEY);
    }
    a.record(Level.INFO, "outside", null);
    List<LogLine> lines = read(logs, new LogQuery().setActor("traced")).lines();
    assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", lines.get(1).traceId());
    assertEquals(null, lines.get(2).traceId());
  }

  @Test
  void levelSinceAndLimitFilter() throws Exception {
    NodeLogs logs = logs(new NodeOptions());
    ActorLog a = ring(logs, "f");
    a.record(Level.DEBUG, "d", null);
    a.record(Level.INFO, "i", null);
    a.record(Level.WARN, "w", null);
    Thread.sleep(5);
    long mark = System.currentTimeMillis();
    a.record(Level.ERROR, "e", null);
    assertEquals(List.of("w", "e"), messages(read(logs, new LogQuery().setActor("f").setLevel("WARN"))));
    assertEquals(List.of("e"), messages(read(logs, new LogQuery().setActor("f").setSince(mark))));
    assertEquals(List.of("w", "e"), messages(read(logs, new LogQuery().setActor("f").setLimit(2))));
  }

  @Test
  void aCategoryReadTagsEachLineWithItsActorInWriteOrder() {
    NodeLogs logs = logs(new NodeOptions());
    ActorLog a = ring(logs, "a");
    ActorLog b = ring(logs, "b");
    ActorLog other = logs.open("o", "r", List.of("other"), 0);
    logs.retire(other);
    a.record(Level.INFO, "a1", null);
    b.record(Level.INFO, "b1", null);
    other.record(Level.INFO, "o1", null);
    a.record(Level.INFO, "a2", null);
    LogPage page = read(logs, new LogQuery().setCategory("cat").setLevel("info"));
    List<String> tagged = new ArrayList<>();
    page.lines().stream().filter(l -> !l.message().equals("started")).forEach(l -> tagged.add(l.actor() + ":" + l.message()));
    assertEquals(List.of("a:a1", "b:b1", "a:a2"), tagged);
    assertFalse(logs.read("other-realm", new LogQuery().setCategory("cat").validate()).getBoolean("known"),
      "another realm's read finds nothing");
  }

  @Test
  void theNodesBudgetBoundsEveryRingTogether() {
    NodeLogs logs = logs(new NodeOptions().setLogLines(100).setLogLineBytes(100).setLogBytes(10 * (NodeLogs.ENTRY_BYTES + 100)));
    ActorLog a = ring(logs, "a");
    ActorLog b = ring(logs, "b");
    for (int i = 0; i < 20; i++) {
      a.record(Level.INFO, "{}", new Object[] {"a".repeat(100)});
    }
    assertEquals(10 * (NodeLogs.ENTRY_BYTES + 100), logs.heldBytes());
    assertEquals(10 + 1, a.size(), "a kept its 10 newest lines (and its started line) within the budget");
    assertFalse(b.record(Level.INFO, "{}", new Object[] {"b".repeat(100)}) && b.size() > 1, "b has no room");
    assertEquals(1, b.dropped());
  }

  @Test
  void aCursorReadsOnWithoutLosingOrRepeatingALineWhileWritersRace() throws Exception {
    NodeLogs logs = logs(new NodeOptions().setLogLines(100_000).setLogLinesPerSecond(1_000_000));
    int writers = 4;
    int each = 20_000;
    List<ActorLog> rings = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      rings.add(ring(logs, "w" + w));
    }
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (ActorLog r : rings) {
      Thread t = new Thread(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < each; i++) {
          r.record(Level.INFO, "{}", new Object[] {i});
        }
      });
      t.start();
      threads.add(t);
    }
    Set<String> seen = new HashSet<>();
    Map<String, Long> cursor = Map.of("n1", 0L);
    go.countDown();
    boolean writing = true;
    boolean more = true;
    while (writing || more) {
      writing = threads.stream().anyMatch(Thread::isAlive);
      LogPage page = read(logs, new LogQuery().setCategory("cat").setLimit(1000).setCursor(cursor));
      for (LogLine l : page.lines()) {
        assertTrue(seen.add(l.actor() + ":" + l.message()), "read twice: " + l);
      }
      more = !page.lines().isEmpty();
      cursor = page.cursor();
    }
    if (seen.size() != writers * (each + 1)) {
      List<String> missing = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        for (int i = 0; i < each; i++) {
          if (!seen.contains("w" + w + ":" + i)) {
            missing.add(w + ":" + i);
          }
        }
      }
      System.out.println("MISSING " + missing.size() + " " + missing.subList(0, Math.min(20, missing.size())) + " ... " + missing.get(missing.size() - 1));
    }
    assertEquals(writers * (each + 1), seen.size(), "every line (and each started line) read exactly once");
  }
}
