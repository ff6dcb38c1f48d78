package dev.beach.launcher.impl;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads configuration from {@code BEACH_*} environment variables. The rule:
 * {@code BEACH_<SECTION>_<KEY>} sets {@code <section>.<key>}, where SECTION is {@code CLUSTER}, {@code NODE},
 * {@code TRACING}, {@code GATEWAY} or {@code EVENT_BUS} and KEY is the YAML key in upper snake case
 * ({@code BEACH_CLUSTER_EVENT_BUS_PORT} sets {@code cluster.eventBusPort}, {@code BEACH_NODE_CODE_DIR} sets
 * {@code node.codeDir}). Lists are comma-separated ({@code BEACH_CLUSTER_SEEDS=10.0.0.1:5701,10.0.0.2:5701});
 * a value starting with {@code {} or {@code [} is read as JSON. Other {@code BEACH_*} variables
 * ({@code BEACH_CONFIG}, {@code BEACH_HOME}, {@code BEACH_URL}, {@code BEACH_TOKEN}) are not configuration keys.
 */
public final class EnvOverrides {

  public static final String PREFIX = "BEACH_";

  /** Longest first, so {@code EVENT_BUS_} is never read as a key of another section. */
  private static final Map<String, String> SECTIONS = new LinkedHashMap<>();

  static {
    SECTIONS.put("EVENT_BUS_", "eventBus");
    SECTIONS.put("CLUSTER_", "cluster");
    SECTIONS.put("GATEWAY_", "gateway");
    SECTIONS.put("NODE_", "node");
    SECTIONS.put("TRACING_", "tracing");
  }

  private EnvOverrides() {
  }

  /**
   * The configuration layer the environment defines, with {@code origins} filled with the variable that set
   * each dotted key (for error messages). Values of the {@code cluster} and {@code node} sections stay strings
   * (the schema converts them); the free-form sections get numbers, booleans and JSON inferred.
   */
  public static JsonObject read(Map<String, String> env, Map<String, String> origins) {
    JsonObject layer = new JsonObject();
    for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
      String name = e.getKey();
      if (!name.startsWith(PREFIX)) {
        continue;
      }
      String rest = name.substring(PREFIX.length());
      for (Map.Entry<String, String> section : SECTIONS.entrySet()) {
        if (rest.startsWith(section.getKey()) && rest.length() > section.getKey().length()) {
          String key = camel(rest.substring(section.getKey().length()));
          String sectionName = section.getValue();
          Object value = ConfigSchema.hasSchema(sectionName) ? e.getValue() : infer(name, e.getValue());
          JsonObject target = layer.getJsonObject(sectionName);
          if (target == null) {
            target = new JsonObject();
            layer.put(sectionName, target);
          }
          target.put(key, value);
          origins.put(sectionName + "." + key, name);
          break;
        }
      }
    }
    return layer;
  }

  /** {@code EVENT_BUS_PORT} → {@code eventBusPort}. */
  static String camel(String upperSnake) {
    StringBuilder sb = new StringBuilder();
    boolean upper = false;
    for (char c : upperSnake.toLowerCase(Locale.ROOT).toCharArray()) {
      if (c == '_') {
        upper = sb.length() > 0;
      } else {
        sb.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return sb.toString();
  }

  /** {@code cluster.eventBusPort} → {@code BEACH_CLUSTER_EVENT_BUS_PORT}: the variable that sets a key. */
  public static String variable(String dottedKey) {
    StringBuilder sb = new StringBuilder(PREFIX);
    for (char c : dottedKey.toCharArray()) {
      if (c == '.') {
        sb.append('_');
      } else if (Character.isUpperCase(c)) {
        sb.append('_').append(c);
      } else {
        sb.append(Character.toUpperCase(c));
      }
    }
    return sb.toString();
  }

  private static Object infer(String name, String value) {
    String v = value.trim();
    if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(v);
    }
    if (v.matches("-?[0-9]{1,18}")) {
      long l = Long.parseLong(v);
      return l == (int) l ? (Object) (int) l : (Object) l;
    }
    try {
      if (v.startsWith("{")) {
        return new JsonObject(v);
      }
      if (v.startsWith("[")) {
        return new JsonArray(v);
      }
    } catch (DecodeException e) {
      throw new ConfigException(name, name + " is not valid JSON: " + e.getMessage());
    }
    return value;
  }
}
