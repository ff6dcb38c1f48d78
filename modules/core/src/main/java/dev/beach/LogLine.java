package dev.beach;

import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * One line of an actor's log as its node keeps it ({@code node.logLines} per actor): what the actor wrote through
 * {@link Actor#log()} and what the runtime said about it (started, stopped, failed, restarted), with its level,
 * time, the trace id of the request it belongs to (null until tracing fills {@code trace_id} in the SLF4J MDC) and
 * the actor and node it came from. {@code seq} orders the lines of one node; cursors ({@link LogPage#cursor()})
 * count in it. A value with a JSON round trip.
 */
public final class LogLine {

  /** The levels, lowest first: a query's {@code level} keeps that level and the ones after it. */
  public static final java.util.List<String> LEVELS = java.util.List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR");

  private final long time;
  private final String level;
  private final String message;
  private final String realm;
  private final String actor;
  private final String node;
  private final long seq;
  private final String traceId;
  private final boolean truncated;

  public LogLine(long time, String level, String message, String realm, String actor, String node, long seq,
                 String traceId, boolean truncated) {
    this.time = time;
    this.level = Objects.requireNonNull(level, "level");
    this.message = Objects.requireNonNull(message, "message");
    this.realm = realm;
    this.actor = actor;
    this.node = node;
    this.seq = seq;
    this.traceId = traceId;
    this.truncated = truncated;
  }

  public static LogLine fromJson(JsonObject json) {
    return new LogLine(json.getLong("time", 0L), json.getString("level", "INFO"), json.getString("message", ""),
      json.getString("realm"), json.getString("actor"), json.getString("node"), json.getLong("seq", 0L),
      json.getString("traceId"), json.getBoolean("truncated", false));
  }

  /** {@code {time, level, message, realm, actor, node, seq, traceId?, truncated?}}. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("time", time).put("level", level).put("message", message)
      .put("realm", realm).put("actor", actor).put("node", node).put("seq", seq);
    if (traceId != null) {
      json.put("traceId", traceId);
    }
    if (truncated) {
      json.put("truncated", true);
    }
    return json;
  }

  /** Epoch milliseconds. */
  public long time() {
    return time;
  }

  /** TRACE, DEBUG, INFO, WARN or ERROR. */
  public String level() {
    return level;
  }

  /** Formatted once, at most {@code node.logLineBytes} UTF-8 bytes (see {@link #truncated()}). */
  public String message() {
    return message;
  }

  public String realm() {
    return realm;
  }

  public String actor() {
    return actor;
  }

  public String node() {
    return node;
  }

  /** This line's place in its node's order of lines (not the cluster's). */
  public long seq() {
    return seq;
  }

  /** The trace id of the request being handled when the line was written; null when there was none. */
  public String traceId() {
    return traceId;
  }

  /** True when the message was cut to {@code node.logLineBytes}. */
  public boolean truncated() {
    return truncated;
  }

  /** Where {@code level} stands in {@link #LEVELS}; -1 when it is none of them. */
  public static int rank(String level) {
    return level == null ? -1 : LEVELS.indexOf(level.toUpperCase(java.util.Locale.ROOT));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LogLine && ((LogLine) o).toJson().equals(toJson());
  }

  @Override
  public int hashCode() {
    return Objects.hash(node, seq, actor);
  }

  @Override
  public String toString() {
    return toJson().encode();
  }
}
