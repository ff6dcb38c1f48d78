package dev.beach.launcher;

import dev.beach.ClusterOptions;
import dev.beach.launcher.impl.ConfigException;
import dev.beach.launcher.impl.ConfigLoader;
import dev.beach.launcher.impl.LauncherConfig;
import dev.beach.launcher.impl.NodeApplication;
import dev.beach.launcher.impl.Ports;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.launcher.application.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code beach node}: one node of a cluster, run until SIGTERM or Ctrl-C. Configuration comes from the YAML file,
 * then {@code BEACH_*} variables, then these flags, each overriding the one before.
 */
@Command(name = "node", mixinStandardHelpOptions = true, sortOptions = false,
  description = {
    "Runs one Beach node: joins the cluster, hosts actors, serves the HTTP gateway and dashboard.",
    "With no configuration file: one node on 127.0.0.1, the gateway on port 8080 (or the next free one), and the "
      + "sample realms deployed.",
    "Precedence: YAML file < BEACH_* environment variables < flags. BEACH_<SECTION>_<KEY> sets <section>.<key>, the "
      + "key in upper snake case: BEACH_CLUSTER_PORT, BEACH_CLUSTER_SEEDS=a:5701,b:5701, BEACH_NODE_CODE_DIR, "
      + "BEACH_GATEWAY_PORT, BEACH_GATEWAY_ENABLED=false.",
    "Exit codes: 0 stopped cleanly, 2 invalid configuration, 11 could not join the cluster, 15 the node did not start."},
  footer = {"", "Example: beach node --config samples/multinode/node1.yaml"})
public final class NodeCommand implements Callable<Integer> {

  @Option(names = {"-c", "--config"}, paramLabel = "FILE",
    description = "cluster.yaml to read (default: $BEACH_CONFIG, else the embedded default)")
  Path config;

  @Option(names = "--host", paramLabel = "ADDRESS", description = "address of this machine the cluster uses (cluster.host)")
  String host;

  @Option(names = "--port", paramLabel = "PORT", description = "Hazelcast member port (cluster.port; default 5701, or a free one)")
  Integer port;

  @Option(names = "--seeds", paramLabel = "HOST:PORT", split = ",", description = "other members to join (cluster.seeds)")
  List<String> seeds;

  @Option(names = "--name", paramLabel = "NAME", description = "cluster name; nodes join only a cluster of the same name")
  String name;

  @Option(names = "--code", paramLabel = "DIR", description = "realm code directory: <DIR>/<realm>/*.jar|*.java (node.codeDir)")
  Path code;

  @Option(names = "--tags", paramLabel = "TAG", split = ",", description = "node tags for node(tag) placement (node.tags)")
  List<String> tags;

  @Option(names = "--gateway-port", paramLabel = "PORT", description = "HTTP gateway port (gateway.port; 0 = any free port)")
  Integer gatewayPort;

  @Option(names = "--gateway-host", paramLabel = "ADDRESS", description = "HTTP gateway address (gateway.host)")
  String gatewayHost;

  @Option(names = "--no-gateway", description = "run without the HTTP gateway (gateway.enabled: false)")
  boolean noGateway;

  @Option(names = "--no-deploy", description = "do not deploy the configuration's deploy list")
  boolean noDeploy;

  @Option(names = "--exit-with-parent", paramLabel = "PID", hidden = true,
    description = "shut down when process PID exits (beach fork and tests use it so no node outlives them)")
  Long parentPid;

  @Override
  public Integer call() {
    Map<String, String> env = System.getenv();
    Path file = config;
    if (file == null && env.get("BEACH_CONFIG") != null && !env.get("BEACH_CONFIG").isBlank()) {
      file = Path.of(env.get("BEACH_CONFIG"));
    }
    NodeApplication app;
    LauncherConfig cfg;
    try {
      cfg = ConfigLoader.loadBlocking(file, env, flags()).withDefaults(env);
      app = new NodeApplication(cfg, !noDeploy);
    } catch (ConfigException e) {
      System.err.println("beach: invalid configuration: " + e.getMessage());
      return 2;
    }
    Integer busy = portConflict(cfg);
    if (busy != null) {
      return busy;
    }
    app.trapSignals();
    int code = app.start();
    if (code != 0) {
      return code;
    }
    if (parentPid != null) {
      app.exitWithParent(parentPid);
    }
    return app.awaitTermination();
  }

  /**
   * Says which configured port is taken before anything starts: Hazelcast and Vert.x would report it too, but
   * only after logging stack traces for what is a plain operator mistake (usually a second node on one machine).
   */
  private static Integer portConflict(LauncherConfig cfg) {
    ClusterOptions c = cfg.nodeOptions().getCluster();
    String hint = " is already in use (another node on this machine?): pick another with ";
    if (c.getPort() != 0 && !Ports.free(c.getHost(), c.getPort())) {
      System.err.println("beach: could not join the cluster: " + c.getHost() + ":" + c.getPort() + hint + "--port or cluster.port");
      return ExitCodes.VERTX_INITIALIZATION;
    }
    if (c.getEventBusPort() != 0 && !Ports.free(c.getHost(), c.getEventBusPort())) {
      System.err.println("beach: could not join the cluster: event bus port " + c.getHost() + ":" + c.getEventBusPort() + hint
        + "cluster.eventBusPort (0 = any free port)");
      return ExitCodes.VERTX_INITIALIZATION;
    }
    JsonObject gw = cfg.gateway();
    int gwPort = gw.getInteger("port", 0);
    if (cfg.gatewayEnabled() && gwPort != 0 && !Ports.free(gw.getString("host"), gwPort)) {
      System.err.println("beach: the gateway cannot listen: " + gw.getString("host") + ":" + gwPort + hint
        + "--gateway-port or gateway.port (0 = any free port)");
      return ExitCodes.VERTX_DEPLOYMENT;
    }
    return null;
  }

  /** The flags' configuration layer, in the YAML layout; only flags that were given. */
  JsonObject flags() {
    JsonObject cluster = new JsonObject();
    JsonObject node = new JsonObject();
    JsonObject gateway = new JsonObject();
    putIf(cluster, "host", host);
    putIf(cluster, "port", port);
    putIf(cluster, "name", name);
    if (seeds != null) {
      cluster.put("seeds", new JsonArray(List.copyOf(seeds)));
    }
    if (code != null) {
      node.put("codeDir", code.toAbsolutePath().normalize().toString());
    }
    if (tags != null) {
      node.put("tags", new JsonArray(List.copyOf(tags)));
    }
    putIf(gateway, "port", gatewayPort);
    putIf(gateway, "host", gatewayHost);
    if (noGateway) {
      gateway.put("enabled", false);
    }
    JsonObject flags = new JsonObject();
    for (Map.Entry<String, JsonObject> s : Map.of("cluster", cluster, "node", node, "gateway", gateway).entrySet()) {
      if (!s.getValue().isEmpty()) {
        flags.put(s.getKey(), s.getValue());
      }
    }
    return flags;
  }

  private static void putIf(JsonObject json, String key, Object value) {
    if (value != null) {
      json.put(key, value);
    }
  }
}
