package dev.beach;

import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What {@link Beach#logs} reads: the lines of one actor or of every actor a category reaches, at or above a
 * level, written at or after {@code since}, at most {@code limit} of them. Without a cursor it answers the most
 * recent lines; with the cursor of a previous {@link LogPage}, the lines written after it, oldest first (how a
 * follower reads on). JSON round trip; {@link #validate()} says what to fix.
 */
public class LogQuery {

  public static final int DEFAULT_LIMIT = 200;
  public static final int MAX_LIMIT = 10_000;

  private String actor;
  private String category;
  private String level;
  private long since;
  private int limit = DEFAULT_LIMIT;
  private Map<String, Long> cursor;

  public LogQuery() {
  }

  public LogQuery(LogQuery other) {
    this(other.toJson());
  }

  public LogQuery(JsonObject json) {
    actor = json.getString("actor");
    category = json.getString("category");
    level = json.getString("level");
    since = json.getLong("since", 0L);
    limit = json.getInteger("limit", DEFAULT_LIMIT);
    JsonObject c = json.getJsonObject("cursor");
    if (c != null) {
      cursor = new LinkedHashMap<>();
      for (Map.Entry<String, Object> e : c) {
        cursor.put(e.getKey(), ((Number) e.getValue()).longValue());
      }
    }
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("since", since).put("limit", limit);
    if (actor != null) {
      json.put("actor", actor);
    }
    if (category != null) {
      json.put("category", category);
    }
    if (level != null) {
      json.put("level", level);
    }
    if (cursor != null) {
      json.put("cursor", new JsonObject(new LinkedHashMap<>(cursor)));
    }
    return json;
  }

  /** Throws a 400 {@link BeachException} naming what to fix; returns this. */
  public LogQuery validate() {
    if ((actor == null) == (category == null)) {
      throw new BeachException(ErrorCode.BAD_REQUEST, "a log query names one actor or one category, not "
        + (actor == null ? "neither" : "both"));
    }
    if (actor != null) {
      Address.validateActorId(actor);
    } else {
      Address.validateCategory(category);
    }
    if (level != null && LogLine.rank(level) < 0) {
      throw new BeachException(ErrorCode.BAD_REQUEST, "log level '" + level + "' is unknown: use one of "
        + String.join(", ", LogLine.LEVELS));
    }
    if (since < 0) {
      throw new BeachException(ErrorCode.BAD_REQUEST, "since must be an epoch time in milliseconds ≥ 0, not " + since);
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new BeachException(ErrorCode.BAD_REQUEST, "limit must be between 1 and " + MAX_LIMIT + ", not " + limit);
    }
    return this;
  }

  public String getActor() {
    return actor;
  }

  /** Reads one actor's lines (404 when no node knows it in the realm). */
  public LogQuery setActor(String actor) {
    this.actor = actor;
    return this;
  }

  public String getCategory() {
    return category;
  }

  /** Reads the lines of every actor {@code category} reaches, on every node, tagged with their actor. */
  public LogQuery setCategory(String category) {
    this.category = category;
    return this;
  }

  public String getLevel() {
    return level;
  }

  /** The lowest level kept (TRACE, DEBUG, INFO, WARN, ERROR; any case); null keeps every line. */
  public LogQuery setLevel(String level) {
    this.level = level == null ? null : level.toUpperCase(Locale.ROOT);
    return this;
  }

  public long getSince() {
    return since;
  }

  /** Only lines written at or after this epoch time (ms); 0 for no bound. */
  public LogQuery setSince(long since) {
    this.since = since;
    return this;
  }

  public int getLimit() {
    return limit;
  }

  public LogQuery setLimit(int limit) {
    this.limit = limit;
    return this;
  }

  public Map<String, Long> getCursor() {
    return cursor;
  }

  /**
   * Node id → the last line read there ({@link LogPage#cursor()} of the previous read): the query then answers the
   * lines written after it, oldest first. Null (the default): the most recent lines.
   */
  public LogQuery setCursor(Map<String, Long> cursor) {
    this.cursor = cursor == null ? null : new LinkedHashMap<>(cursor);
    return this;
  }
}
