package dev.beach;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a {@link Beach#logs} read answers: the lines, oldest first, and the cursor to read on from
 * ({@link LogQuery#setCursor}). {@code dropped} counts the lines the actors tried to write over their rate bound
 * ({@code node.logLinesPerSecond}), over their life, as the answering nodes know it. A value with a JSON round trip.
 */
public final class LogPage {

  private final List<LogLine> lines;
  private final Map<String, Long> cursor;
  private final long dropped;

  public LogPage(List<LogLine> lines, Map<String, Long> cursor, long dropped) {
    this.lines = Collections.unmodifiableList(new ArrayList<>(lines));
    this.cursor = Collections.unmodifiableMap(new LinkedHashMap<>(cursor));
    this.dropped = dropped;
  }

  public static LogPage fromJson(JsonObject json) {
    List<LogLine> lines = new ArrayList<>();
    json.getJsonArray("lines", new JsonArray()).forEach(l -> lines.add(LogLine.fromJson((JsonObject) l)));
    Map<String, Long> cursor = new LinkedHashMap<>();
    json.getJsonObject("cursor", new JsonObject()).forEach(e -> cursor.put(e.getKey(), ((Number) e.getValue()).longValue()));
    return new LogPage(lines, cursor, json.getLong("dropped", 0L));
  }

  /** {@code {lines: [LogLine], cursor: {node: seq}, dropped}}. */
  public JsonObject toJson() {
    JsonArray out = new JsonArray();
    lines.forEach(l -> out.add(l.toJson()));
    return new JsonObject().put("lines", out).put("cursor", new JsonObject(new LinkedHashMap<>(cursor)))
      .put("dropped", dropped);
  }

  /** Oldest first. */
  public List<LogLine> lines() {
    return lines;
  }

  /** Node id → the last line this read covered there. */
  public Map<String, Long> cursor() {
    return cursor;
  }

  public long dropped() {
    return dropped;
  }
}
