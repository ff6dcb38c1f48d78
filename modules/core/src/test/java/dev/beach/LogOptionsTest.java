package dev.beach;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The log settings of a node and the log value types: JSON round trips and the messages of bad values. */
class LogOptionsTest {

  @Test
  void nodeLogSettingsRoundTripAndDefault() {
    NodeOptions o = new NodeOptions().setLogLines(10).setLogLineBytes(200).setLogLinesPerSecond(7).setLogBytes(4096);
    JsonObject node = o.toJson().getJsonObject("node");
    assertEquals(10, node.getInteger("logLines"));
    assertEquals(200, node.getInteger("logLineBytes"));
    assertEquals(7, node.getInteger("logLinesPerSecond"));
    assertEquals(4096L, node.getLong("logBytes"));
    assertEquals(o.toJson(), new NodeOptions(o.toJson()).toJson());
    NodeOptions d = new NodeOptions(new JsonObject());
    assertEquals(NodeOptions.DEFAULT_LOG_LINES, d.getLogLines());
    assertEquals(1024, d.getLogLineBytes());
  }

  @Test
  void badNodeLogSettingsSayWhatToFix() {
    for (NodeOptions bad : List.of(new NodeOptions().setLogLines(-1), new NodeOptions().setLogLineBytes(10),
      new NodeOptions().setLogLinesPerSecond(0), new NodeOptions().setLogBytes(-5))) {
      BeachException e = assertThrows(BeachException.class, bad::validate);
      assertTrue(e.getMessage().contains("node.logLines must be 0..100000, node.logLineBytes 64..65536"), e.getMessage());
    }
    new NodeOptions().setLogLines(0).validate();
  }

  @Test
  void logQueryRoundTripsAndValidates() {
    LogQuery q = new LogQuery().setCategory("a.b").setLevel("warn").setSince(5).setLimit(9)
      .setCursor(Map.of("n1", 3L));
    assertEquals(q.toJson(), new LogQuery(q.toJson()).toJson());
    assertEquals("WARN", q.getLevel());
    assertEquals(3L, new LogQuery(q.toJson()).getCursor().get("n1"));
    assertTrue(assertThrows(BeachException.class, () -> new LogQuery().validate()).getMessage().contains("neither"));
    assertTrue(assertThrows(BeachException.class, () -> new LogQuery().setActor("a").setCategory("b").validate())
      .getMessage().contains("both"));
    assertTrue(assertThrows(BeachException.class, () -> new LogQuery().setActor("a").setSince(-1).validate())
      .getMessage().contains("since"));
    assertTrue(assertThrows(BeachException.class, () -> new LogQuery().setActor("a").setLimit(0).validate())
      .getMessage().contains("limit must be between 1 and 10000"));
    assertTrue(assertThrows(BeachException.class, () -> new LogQuery().setActor("a").setLevel("x").validate())
      .getMessage().contains("use one of TRACE, DEBUG, INFO, WARN, ERROR"));
    assertThrows(BeachException.class, () -> new LogQuery().setCategory("Bad Cat").validate());
  }

  @Test
  void logLinesAndPagesRoundTrip() {
    LogLine line = new LogLine(12, "WARN", "hi", "r", "a1", "n1", 4, "t1", true);
    assertEquals(line, LogLine.fromJson(line.toJson()));
    LogLine plain = new LogLine(12, "INFO", "hi", "r", "a1", "n1", 5, null, false);
    assertEquals(Map.of("time", 12L, "level", "INFO", "message", "hi", "realm", "r", "actor", "a1", "node", "n1", "seq", 5L)
      .keySet(), plain.toJson().fieldNames());
    LogPage page = new LogPage(List.of(line, plain), Map.of("n1", 5L), 3);
    assertEquals(page.toJson(), LogPage.fromJson(page.toJson()).toJson());
  }
}
