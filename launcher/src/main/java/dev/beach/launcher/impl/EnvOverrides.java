package dev.beach.launcher.impl;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads configuration from {@code BEACH_*} environment variables. The rule: {@code BEACH_<SECTION>_<PATH>} sets
 * the key at {@code <section>.<path>}, where SECTION is {@code CLUSTER}, {@code NODE}, {@code TRACING}, {@code GATEWAY} or
 * {@code EVENT_BUS} and PATH is the key's dotted path with each key in upper snake case and the dots as
 * {@code _}: {@code BEACH_CLUSTER_EVENT_BUS_PORT} sets {@code cluster.eventBusPort},
 * {@code BEACH_GATEWAY_TOKENS_ADMIN} sets {@code gateway.tokens.admin},
 * {@code BEACH_EVENT_BUS_TLS_KEY_PATH} sets {@code eventBus.tls.keyPath}.
 * <p>
 * Words are matched against the section's schema ({@link ConfigSchema}), so {@code _} is never ambiguous: at each
 * level the longest run of words that names a key wins, and a test proves every key's variable reads back as
 * that key. Below a map of names ({@code gateway.tokens.realms}) the rest of the variable, lower-cased, is the
 * name, underscores included: {@code BEACH_GATEWAY_TOKENS_REALMS_MY_REALM} sets
 * {@code gateway.tokens.realms.my_realm}. A name with {@code -} cannot be spelt in a variable name; set the whole
 * map as JSON instead ({@code BEACH_GATEWAY_TOKENS_REALMS='{"my-realm":"…"}'}). Any key that holds a section or a
 * list may be given as JSON ({@code BEACH_GATEWAY_TOKENS='{"admin":"…"}'}); a more specific variable overrides
 * the same key inside it. Lists are also comma-separated ({@code BEACH_CLUSTER_SEEDS=10.0.0.1:5701,10.0.0.2:5701}).
 * Words that name no key become an unknown key that {@link ConfigSchema} rejects, naming the variable. Other
 * {@code BEACH_*} variables ({@code BEACH_CONFIG}, {@code BEACH_HOME}, {@code BEACH_URL}, {@code BEACH_TOKEN})
 * are not configuration keys.
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
   * each dotted key (for error messages). Values stay strings, except JSON given for a section, which is parsed
   * here so more specific variables can override keys inside it; {@link ConfigSchema} converts the rest.
   */
  public static JsonObject read(Map<String, String> env, Map<String, String> origins) {
    JsonObject layer = new JsonObject();
    // Sorted, so BEACH_GATEWAY_TOKENS (JSON) comes before BEACH_GATEWAY_TOKENS_ADMIN, which then overrides it.
    for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
      String name = e.getKey();
      if (!name.startsWith(PREFIX)) {
        continue;
      }
      String rest = name.substring(PREFIX.length());
      for (Map.Entry<String, String> section : SECTIONS.entrySet()) {
        if (rest.startsWith(section.getKey()) && rest.length() > section.getKey().length()) {
          String sectionName = section.getValue();
          List<String> path = new ArrayList<>();
          path.add(sectionName);
          Object leaf = resolve(rest.substring(section.getKey().length()).split("_"), ConfigSchema.schema(sectionName), path);
          Object value = e.getValue();
          if (leaf instanceof JsonObject && e.getValue().trim().startsWith("{")) {
            value = json(name, e.getValue());
          }
          put(layer, path, value, name);
          origins.put(String.join(".", path), name);
          break;
        }
      }
    }
    return layer;
  }

  /**
   * Appends to {@code path} the keys {@code words} name in {@code schema}; returns the schema's example at the
   * end of the path (a {@link JsonObject} for a section or map, null for an unknown key).
   */
  private static Object resolve(String[] words, JsonObject schema, List<String> path) {
    Object level = schema;
    int i = 0;
    while (i < words.length) {
      if (!(level instanceof JsonObject)) {
        return null;
      }
      JsonObject keys = (JsonObject) level;
      if (keys.containsKey(ConfigSchema.ANY_NAME)) {
        path.add(String.join("_", Arrays.asList(words).subList(i, words.length)).toLowerCase(Locale.ROOT));
        return keys.getValue(ConfigSchema.ANY_NAME);
      }
      int end = -1;
      for (int j = words.length; j > i && end < 0; j--) {
        String key = camel(words, i, j);
        // A key matches if it takes the rest of the words, or is a section the remaining words continue into.
        if (keys.containsKey(key) && (j == words.length || keys.getValue(key) instanceof JsonObject)) {
          end = j;
        }
      }
      if (end < 0) {
        path.add(camel(words, i, words.length)); // no such key: the schema check names it and the variable
        return null;
      }
      String key = camel(words, i, end);
      path.add(key);
      level = keys.getValue(key);
      i = end;
    }
    return level;
  }

  private static void put(JsonObject layer, List<String> path, Object value, String variable) {
    JsonObject target = layer;
    for (String key : path.subList(0, path.size() - 1)) {
      Object next = target.getValue(key);
      if (next == null) {
        next = new JsonObject();
        target.put(key, next);
      } else if (!(next instanceof JsonObject)) {
        throw new ConfigException(String.join(".", path), variable + " sets a key inside " + key
          + ", which another BEACH_ variable sets to a plain value");
      }
      target = (JsonObject) next;
    }
    String last = path.get(path.size() - 1);
    Object old = target.getValue(last);
    if (old instanceof JsonObject && value instanceof JsonObject) {
      ((JsonObject) value).mergeIn((JsonObject) old, true); // keys set by more specific variables stay
    }
    target.put(last, value);
  }

  /** {@code ["EVENT", "BUS", "PORT"]} → {@code eventBusPort}. */
  private static String camel(String[] words, int from, int to) {
    StringBuilder sb = new StringBuilder();
    for (int i = from; i < to; i++) {
      String w = words[i].toLowerCase(Locale.ROOT);
      if (w.isEmpty()) {
        continue;
      }
      sb.append(sb.length() == 0 ? w : Character.toUpperCase(w.charAt(0)) + w.substring(1));
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

  /**
   * The variable that set {@code dottedKey}, or the one that set a section around it as JSON; otherwise the
   * variable that would set it.
   */
  public static String origin(Map<String, String> origins, String dottedKey) {
    for (String key = dottedKey; ; key = key.substring(0, key.lastIndexOf('.'))) {
      String variable = origins.get(key);
      if (variable != null) {
        return variable;
      }
      if (key.indexOf('.') < 0) {
        return variable(dottedKey);
      }
    }
  }

  private static JsonObject json(String name, String value) {
    try {
      return new JsonObject(value.trim());
    } catch (DecodeException e) {
      throw new ConfigException(name, name + " is not valid JSON: " + e.getMessage());
    }
  }
}
