package dev.beach.launcher.impl;

import dev.beach.ClusterOptions;
import dev.beach.Deployment;
import dev.beach.NodeOptions;
import dev.beach.TlsOptions;
import dev.beach.gateway.GatewayOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Checks one configuration layer (YAML, environment or flags) and converts its values to the types the options
 * classes read, so a mistake is reported as "cluster.port must be an integer" instead of a ClassCastException
 * deep in start-up. The {@code cluster}, {@code node} and {@code tracing} sections are strict: their keys and types are those of
 * {@link ClusterOptions} and {@link NodeOptions}, so a typo is an error and new options are accepted without a
 * change here. {@code gateway} and {@code eventBus} belong to their modules and are only checked to be sections.
 */
public final class ConfigSchema {

  /** Top-level keys of {@code cluster.yaml}. {@code deploy} lists the deployments the node applies at start. */
  public static final List<String> SECTIONS = List.of("cluster", "node", "gateway", "eventBus", "tracing", "deploy");

  /** A map's entry in a schema: {@code {"*": example}} is any name with a value like the example. */
  static final String ANY_NAME = "*";

  private static final Map<String, JsonObject> SCHEMAS = Map.of(
    "cluster", new ClusterOptions().toJson(),
    "node", new NodeOptions().setCodeDir("").setBaseCodeDir("").setDataDir("").setDisplayHost("").toJson()
      .getJsonObject("node"),
    "gateway", GatewayOptions.schema(),
    "eventBus", new JsonObject().put("tls", new TlsOptions().setKeyPath("").setCertPath("").setTrustPath("").toJson()),
    "tracing", new NodeOptions().toJson().getJsonObject("tracing"));

  private ConfigSchema() {
  }

  /** The schema of {@code section} (a copy), or null for {@code deploy} and unknown sections. */
  static JsonObject schema(String section) {
    JsonObject schema = SCHEMAS.get(section);
    return schema == null ? null : schema.copy();
  }

  /**
   * A normalized copy of {@code layer}. {@code origin} turns a dotted key into a description of where it was
   * set ("in cluster.yaml", "by BEACH_CLUSTER_PORT"), appended to error messages.
   */
  public static JsonObject normalize(JsonObject layer, Function<String, String> origin) {
    JsonObject out = new JsonObject();
    for (Map.Entry<String, Object> e : layer) {
      String section = e.getKey();
      Object value = e.getValue();
      if (!SECTIONS.contains(section)) {
        throw new ConfigException(section, "unknown section '" + section + "' " + origin.apply(section)
          + ": expected one of " + String.join(", ", SECTIONS));
      }
      if (value == null) {
        continue;
      }
      if (section.equals("deploy")) {
        out.put(section, deployList(value, origin));
        continue;
      }
      if (!(value instanceof JsonObject)) {
        throw new ConfigException(section, section + " must be a section of keys " + origin.apply(section));
      }
      out.put(section, strict(section, (JsonObject) value, SCHEMAS.get(section), origin));
    }
    return out;
  }

  private static JsonArray deployList(Object value, Function<String, String> origin) {
    if (!(value instanceof JsonArray)) {
      throw new ConfigException("deploy", "deploy must be a list of deployments " + origin.apply("deploy"));
    }
    JsonArray list = (JsonArray) value;
    for (int i = 0; i < list.size(); i++) {
      String key = "deploy[" + i + "]";
      if (!(list.getValue(i) instanceof JsonObject)) {
        throw new ConfigException(key, key + " must be a deployment {name, realm, class, categories, instances | perNode,"
          + " strategy, params, ...} " + origin.apply(key));
      }
      for (String field : list.getJsonObject(i).fieldNames()) {
        if (!Deployment.JSON_KEYS.contains(field)) {
          throw new ConfigException(key + "." + field, "unknown field '" + field + "' in " + key + " " + origin.apply(key)
            + ": a deployment has " + String.join(", ", new TreeSet<>(Deployment.JSON_KEYS)));
        }
      }
    }
    return list.copy();
  }

  private static JsonObject strict(String path, JsonObject values, JsonObject schema, Function<String, String> origin) {
    boolean map = schema.containsKey(ANY_NAME);
    JsonObject out = new JsonObject();
    for (Map.Entry<String, Object> e : values) {
      String key = path + "." + e.getKey();
      if (!map && !schema.containsKey(e.getKey())) {
        Set<String> known = new TreeSet<>(schema.fieldNames());
        throw new ConfigException(key, "unknown key " + key + " " + origin.apply(key) + ": known keys of " + path
          + " are " + String.join(", ", known));
      }
      if (e.getValue() != null) {
        Object example = schema.getValue(map ? ANY_NAME : e.getKey());
        out.put(e.getKey(), convert(key, e.getValue(), example, origin));
      }
    }
    return out;
  }

  private static Object convert(String key, Object value, Object example, Function<String, String> origin) {
    if (example instanceof JsonObject) {
      Object section = value;
      if (value instanceof String && ((String) value).trim().startsWith("{")) {
        section = parse(key, (String) value, origin); // a variable holding the whole sub-section as JSON
      }
      if (!(section instanceof JsonObject)) {
        throw wrongType(key, "a section of keys (" + String.join(", ", new TreeSet<>(((JsonObject) example).fieldNames()))
          + ")", value, origin);
      }
      return strict(key, (JsonObject) section, (JsonObject) example, origin);
    }
    if (example instanceof String) {
      if (value instanceof String || value instanceof Number || value instanceof Boolean) {
        return String.valueOf(value);
      }
      throw wrongType(key, "a string", value, origin);
    }
    if (example instanceof Double) {
      if (value instanceof Number) {
        return ((Number) value).doubleValue();
      }
      if (value instanceof String) {
        try {
          return Double.parseDouble(((String) value).trim());
        } catch (NumberFormatException e) {
          // reported below
        }
      }
      throw wrongType(key, "a number", value, origin);
    }
    if (example instanceof Number) {
      long l;
      if (value instanceof Number && ((Number) value).doubleValue() == ((Number) value).longValue()) {
        l = ((Number) value).longValue();
      } else if (value instanceof String && ((String) value).trim().matches("-?[0-9]{1,18}")) {
        l = Long.parseLong(((String) value).trim());
      } else {
        throw wrongType(key, "an integer", value, origin);
      }
      if (example instanceof Integer) {
        if (l != (int) l) {
          throw wrongType(key, "an integer of at most " + Integer.MAX_VALUE, value, origin);
        }
        return (int) l;
      }
      return l;
    }
    if (example instanceof Boolean) {
      if (value instanceof Boolean) {
        return value;
      }
      if (value instanceof String && (((String) value).equalsIgnoreCase("true") || ((String) value).equalsIgnoreCase("false"))) {
        return Boolean.parseBoolean((String) value);
      }
      throw wrongType(key, "true or false", value, origin);
    }
    if (example instanceof JsonArray) {
      JsonArray out = new JsonArray();
      if (value instanceof String && ((String) value).trim().startsWith("[")) {
        value = parse(key, (String) value, origin);
      }
      if (value instanceof String) {
        for (String item : ((String) value).split(",")) {
          if (!item.isBlank()) {
            out.add(item.trim());
          }
        }
        return out;
      }
      if (value instanceof JsonArray) {
        for (Object item : (JsonArray) value) {
          if (!(item instanceof String || item instanceof Number || item instanceof Boolean)) {
            throw wrongType(key, "a list of plain values", value, origin);
          }
          out.add(String.valueOf(item));
        }
        return out;
      }
      throw wrongType(key, "a list (or a comma-separated string)", value, origin);
    }
    return value;
  }

  private static Object parse(String key, String json, Function<String, String> origin) {
    try {
      String text = json.trim();
      return text.startsWith("{") ? new JsonObject(text) : new JsonArray(text);
    } catch (DecodeException e) {
      throw new ConfigException(key, key + " is not valid JSON " + origin.apply(key) + ": " + e.getMessage());
    }
  }

  private static ConfigException wrongType(String key, String expected, Object value, Function<String, String> origin) {
    String shown = value instanceof String ? "\"" + value + "\"" : String.valueOf(value);
    return new ConfigException(key, key + " must be " + expected + ", got " + shown + " " + origin.apply(key));
  }
}
