package dev.beach.launcher.impl;

import dev.beach.BeachException;
import dev.beach.ClusterOptions;
import dev.beach.Deployment;
import dev.beach.NodeOptions;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything {@code beach node} runs with, merged from YAML, {@code BEACH_*} variables and flags (in that order
 * of precedence) and checked: the node's {@link NodeOptions} (with the {@code deploy} list, the deployments the node
 * applies at start), and the {@code gateway} section. Keys nobody set stay absent, so {@link #withDefaults} can tell "unset" from "set to the default".
 */
public final class LauncherConfig {

  /** The embedded default a newcomer gets from {@code beach node} with no file. */
  public static final String DEFAULT_RESOURCE = "dev/beach/launcher/default-cluster.yaml";
  public static final String DEFAULT_GATEWAY_HOST = "127.0.0.1";
  /** Tried first; the next free port above it is used when it is taken. */
  public static final int DEFAULT_GATEWAY_PORT = 8080;
  /** How far above a preferred port to look for a free one before taking any free port. */
  static final int PORT_SEARCH = 100;

  private final JsonObject json;
  private final String source;
  private final NodeOptions node;

  /** Parses and validates {@code json} (already normalized by {@link ConfigSchema}); {@code source} names it in messages. */
  public LauncherConfig(JsonObject json, String source) {
    this.json = json.copy();
    this.source = source;
    try {
      this.node = new NodeOptions(this.json).validate();
    } catch (BeachException e) {
      throw new ConfigException(keyOf(e.getMessage()), e.getMessage());
    }
    JsonObject gateway = gateway();
    if (gateway.containsKey("enabled") && !(gateway.getValue("enabled") instanceof Boolean)) {
      throw new ConfigException("gateway.enabled", "gateway.enabled must be true or false, got " + gateway.getValue("enabled"));
    }
    Object port = gateway.getValue("port");
    if (port != null && (!(port instanceof Integer) || (Integer) port < 0 || (Integer) port > 65535)) {
      throw new ConfigException("gateway.port", "gateway.port must be an integer 0..65535 (0 = any free port), got " + port);
    }
  }

  /** The key a validation message starts with ({@code node.tags}, {@code deploy[2]}), or null. */
  private static String keyOf(String message) {
    String first = message == null ? "" : message.split(" ", 2)[0];
    return first.matches("[a-zA-Z]+\\.[a-zA-Z.]+|deploy\\[[0-9]+\\]") ? first : null;
  }

  /** Where the configuration came from: a file path, or the embedded default. */
  public String source() {
    return source;
  }

  public boolean embedded() {
    return source.startsWith("embedded");
  }

  /** A copy of the node options (validated). */
  public NodeOptions nodeOptions() {
    return new NodeOptions(node);
  }

  /** The {@code gateway} section, for {@code GatewayOptions}. */
  public JsonObject gateway() {
    return json.getJsonObject("gateway", new JsonObject()).copy();
  }

  public boolean gatewayEnabled() {
    return gateway().getBoolean("enabled", true);
  }

  /** The deployments this node applies at start ({@code deploy:}), named and validated. */
  public List<Deployment> deploy() {
    return node.getDeployments();
  }

  /** The merged configuration; keys nobody set are absent. */
  public JsonObject toJson() {
    return json.copy();
  }

  /**
   * Fills what is still unset with values that depend on this machine: the Hazelcast port (5701 when free, else
   * any free one), the gateway address (127.0.0.1, port 8080 or the next free one), the data directory
   * ({@code $BEACH_HOME/data/<cluster name>}, {@code ~/.beach/data/beach} by default) and the code directory: from a
   * checkout, {@code <dataDir>/realms} over the repository's {@code samples/realms} as its read-only base (so the
   * samples run as they are, edits to them show up, and pushed code lands under the data directory, never in the
   * working tree); else the samples extracted to {@code $BEACH_HOME/realms}.
   */
  public LauncherConfig withDefaults(Map<String, String> env) {
    JsonObject j = json.copy();
    JsonObject cluster = section(j, "cluster");
    String host = cluster.getString("host", ClusterOptions.DEFAULT_HOST);
    if (!cluster.containsKey("port")) {
      cluster.put("port", Ports.firstFree(host, ClusterOptions.DEFAULT_PORT, 1));
    }
    JsonObject gateway = section(j, "gateway");
    if (!gateway.containsKey("host")) {
      gateway.put("host", DEFAULT_GATEWAY_HOST);
    }
    if (gateway.getBoolean("enabled", true) && !gateway.containsKey("port")) {
      gateway.put("port", Ports.firstFree(gateway.getString("host"), DEFAULT_GATEWAY_PORT, PORT_SEARCH));
    }
    JsonObject node = section(j, "node");
    if (!node.containsKey("dataDir")) {
      // One folder per cluster name: two clusters on one machine must not restore each other's deployments.
      node.put("dataDir", SampleRealms.beachHome(env).resolve("data")
        .resolve(cluster.getString("name", ClusterOptions.DEFAULT_NAME)).toString());
    }
    if (!node.containsKey("codeDir")) {
      // A base folder is read-only: pushed code needs a folder of its own, under the data directory.
      Path samples = node.containsKey("baseCodeDir") ? null : SampleRealms.repositorySamples();
      if (samples != null || node.containsKey("baseCodeDir")) {
        node.put("codeDir", Path.of(node.getString("dataDir")).resolve("realms").toString());
        if (samples != null) {
          node.put("baseCodeDir", samples.toString());
        }
      } else {
        node.put("codeDir", SampleRealms.defaultCodeDir(env).toString());
      }
    }
    return new LauncherConfig(j, source);
  }

  private static JsonObject section(JsonObject json, String name) {
    JsonObject s = json.getJsonObject(name);
    if (s == null) {
      s = new JsonObject();
      json.put(name, s);
    }
    return s;
  }

  @Override
  public String toString() {
    return source + " " + json.encode();
  }
}
