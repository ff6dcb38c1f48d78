package dev.beach.launcher.impl;

import dev.beach.ActorSpec;
import dev.beach.ClusterOptions;
import dev.beach.NodeOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigLoaderTest {

  private static Vertx vertx;

  @TempDir
  Path dir;

  @BeforeAll
  static void vertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private LauncherConfig load(Path file, Map<String, String> env, JsonObject flags) throws Exception {
    try {
      return ConfigLoader.load(vertx, file, env, flags).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw (Exception) e.getCause();
    }
  }

  private ConfigException failure(Path file, Map<String, String> env, JsonObject flags) {
    return assertThrows(ConfigException.class, () -> load(file, env, flags));
  }

  private Path yaml(String text) throws Exception {
    Path f = dir.resolve("cluster.yaml");
    Files.writeString(f, text);
    return f;
  }

  @Test
  void yamlThenEnvironmentThenFlagsOverrideKeyByKey() throws Exception {
    Path file = yaml(String.join("\n",
      "cluster:",
      "  name: from-yaml",
      "  port: 6000",
      "  seeds: [10.0.0.1:5701]",
      "  heartbeatSeconds: 2",
      "node:",
      "  tags: [yaml]",
      "  codeDir: realms",
      "gateway:",
      "  port: 9000",
      ""));
    Map<String, String> env = Map.of(
      "BEACH_CLUSTER_PORT", "6001",
      "BEACH_CLUSTER_SEEDS", "10.0.0.2:5701, 10.0.0.3:5701",
      "BEACH_NODE_TAGS", "gpu,big",
      "BEACH_GATEWAY_PORT", "9001",
      "PATH", "/usr/bin");
    JsonObject flags = new JsonObject()
      .put("cluster", new JsonObject().put("port", 6002))
      .put("gateway", new JsonObject().put("port", 9002));

    LauncherConfig cfg = load(file, env, flags);
    NodeOptions node = cfg.nodeOptions();

    assertEquals("from-yaml", node.getCluster().getName(), "only the file sets the name");
    assertEquals(2, node.getCluster().getHeartbeatSeconds());
    assertEquals(6002, node.getCluster().getPort(), "the flag beats env and file");
    assertEquals(List.of("10.0.0.2:5701", "10.0.0.3:5701"), node.getCluster().getSeeds(), "env beats the file");
    assertEquals(List.of("gpu", "big"), node.getTags());
    assertEquals(9002, cfg.gateway().getInteger("port"));
    assertEquals(dir.resolve("realms").toString(), node.getCodeDir(), "a relative codeDir is relative to its file");
    assertEquals(file.toAbsolutePath().normalize().toString(), cfg.source());
  }

  @Test
  void environmentAloneOverridesTheFile() throws Exception {
    Path file = yaml("cluster: {port: 6000, host: 127.0.0.1}\n");
    LauncherConfig cfg = load(file, Map.of("BEACH_CLUSTER_PORT", "6010", "BEACH_CLUSTER_EVENT_BUS_PORT", "6020"), new JsonObject());
    assertEquals(6010, cfg.nodeOptions().getCluster().getPort());
    assertEquals(6020, cfg.nodeOptions().getCluster().getEventBusPort());
  }

  @Test
  void tracingIsOffByDefaultAndItsSectionIsStrict() throws Exception {
    assertFalse(load(yaml("cluster: {port: 6000}\n"), Map.of(), new JsonObject()).nodeOptions().isTracingEnabled());
    LauncherConfig cfg = load(yaml("tracing: {enabled: true, ratio: 0.25}\n"), Map.of(), new JsonObject());
    assertTrue(cfg.nodeOptions().isTracingEnabled());
    assertEquals(0.25, cfg.nodeOptions().getTracingRatio());
    assertFalse(load(yaml("tracing: {enabled: true}\n"), Map.of("BEACH_TRACING_ENABLED", "false"), new JsonObject())
      .nodeOptions().isTracingEnabled(), "the environment overrides the file");
    assertEquals(1.0, load(yaml("tracing: {ratio: 1}\n"), Map.of(), new JsonObject()).nodeOptions().getTracingRatio());
    ConfigException typo = assertThrows(ConfigException.class,
      () -> load(yaml("tracing: {enable: true}\n"), Map.of(), new JsonObject()));
    assertTrue(typo.getMessage().contains("unknown key tracing.enable"), typo.getMessage());
    ConfigException notNumber = assertThrows(ConfigException.class,
      () -> load(yaml("tracing: {ratio: half}\n"), Map.of(), new JsonObject()));
    assertTrue(notNumber.getMessage().contains("tracing.ratio must be a number"), notNumber.getMessage());
    Exception outOfRange = assertThrows(Exception.class,
      () -> load(yaml("tracing: {ratio: 2}\n"), Map.of(), new JsonObject()));
    assertTrue(outOfRange.getMessage().contains("tracing.ratio must be 0..1"), outOfRange.getMessage());
  }

  @Test
  void environmentVariableNamesFollowOneRule() {
    assertEquals("BEACH_CLUSTER_EVENT_BUS_PORT", EnvOverrides.variable("cluster.eventBusPort"));
    assertEquals("BEACH_NODE_CODE_DIR", EnvOverrides.variable("node.codeDir"));
    assertEquals("BEACH_CLUSTER_MAX_NO_HEARTBEAT_SECONDS", EnvOverrides.variable("cluster.maxNoHeartbeatSeconds"));

    assertEquals("BEACH_GATEWAY_TOKENS_ADMIN", EnvOverrides.variable("gateway.tokens.admin"));

    JsonObject layer = EnvOverrides.read(Map.of(
      "BEACH_CLUSTER_MAX_NO_HEARTBEAT_SECONDS", "9",
      "BEACH_NODE_CODE_DIR", "/srv/realms",
      "BEACH_GATEWAY_ENABLED", "false",
      "BEACH_GATEWAY_TOKENS", "{\"admin\":\"s3cret\"}",
      "BEACH_EVENT_BUS_TLS_KEY_PATH", "/k.pem",
      "BEACH_URL", "http://example:8080",
      "BEACH_HOME", "/tmp/x"), new java.util.HashMap<>());

    assertEquals("9", layer.getJsonObject("cluster").getValue("maxNoHeartbeatSeconds"), "typed later by the schema");
    assertEquals("/srv/realms", layer.getJsonObject("node").getString("codeDir"));
    assertEquals("false", layer.getJsonObject("gateway").getValue("enabled"));
    assertEquals("s3cret", layer.getJsonObject("gateway").getJsonObject("tokens").getString("admin"));
    assertEquals("/k.pem", layer.getJsonObject("eventBus").getJsonObject("tls").getValue("keyPath"));
    assertEquals(4, layer.size(), "BEACH_URL and BEACH_HOME are not configuration: " + layer);
  }

  @Test
  void theVariableTheAdminTokenMessageRecommendsSetsTheAdminToken() throws Exception {
    LauncherConfig cfg = load(null, Map.of("BEACH_GATEWAY_TOKENS_ADMIN", "s3cret"), new JsonObject());
    assertEquals("s3cret", cfg.gateway().getJsonObject("tokens").getString("admin"));
    assertTrue(new dev.beach.gateway.GatewayOptions(cfg.gateway()).validate().hasTokens());
  }

  @Test
  void nestedVariablesReachMapsAndOverrideJsonSections() throws Exception {
    LauncherConfig cfg = load(null, Map.of(
      "BEACH_GATEWAY_TOKENS", "{\"admin\":\"from-json\",\"realms\":{\"web-shop\":\"t-shop\"}}",
      "BEACH_GATEWAY_TOKENS_ADMIN", "from-variable",
      "BEACH_GATEWAY_TOKENS_REALMS_MY_REALM", "t-mine",
      "BEACH_GATEWAY_QUOTAS_ACTORS_PER_REALM", "50"), new JsonObject());
    JsonObject tokens = cfg.gateway().getJsonObject("tokens");
    assertEquals("from-variable", tokens.getString("admin"), "the more specific variable wins");
    assertEquals("t-shop", tokens.getJsonObject("realms").getString("web-shop"), "JSON keeps names with '-'");
    assertEquals("t-mine", tokens.getJsonObject("realms").getString("my_realm"), "the rest of the name, underscores kept");
    assertEquals(50, cfg.gateway().getJsonObject("quotas").getValue("actorsPerRealm"));
  }

  @Test
  void everyKeyOfEverySectionHasOneVariableThatReadsBackAsThatKey() {
    int checked = 0;
    for (String section : List.of("cluster", "node", "gateway", "eventBus")) {
      for (String key : leaves(section, ConfigSchema.schema(section))) {
        Map<String, String> origins = new java.util.HashMap<>();
        EnvOverrides.read(Map.of(EnvOverrides.variable(key), "1"), origins);
        assertEquals(Map.of(key, EnvOverrides.variable(key)), origins, key);
        checked++;
      }
    }
    assertTrue(checked > 30, "only " + checked + " keys");
  }

  private static List<String> leaves(String path, JsonObject schema) {
    List<String> out = new java.util.ArrayList<>();
    for (String key : schema.fieldNames()) {
      String name = ConfigSchema.ANY_NAME.equals(key) ? "my_realm" : key;
      Object example = schema.getValue(key);
      if (example instanceof JsonObject) {
        out.addAll(leaves(path + "." + name, (JsonObject) example));
      } else {
        out.add(path + "." + name);
      }
    }
    return out;
  }

  @Test
  void gatewayAndEventBusKeysAreCheckedAtEveryDepth() throws Exception {
    ConfigException typo = failure(yaml("gateway:\n  tokens: {admn: x}\n"), Map.of(), new JsonObject());
    assertEquals("gateway.tokens.admn", typo.key());
    assertTrue(typo.getMessage().contains("known keys of gateway.tokens are admin, realms"), typo.getMessage());
    ConfigException top = failure(yaml("gateway: {colour: red}\n"), Map.of(), new JsonObject());
    assertEquals("gateway.colour", top.key());
    ConfigException env = failure(null, Map.of("BEACH_GATEWAY_TOKENS_ADMN", "x"), new JsonObject());
    assertEquals("gateway.tokens.admn", env.key());
    assertTrue(env.getMessage().contains("BEACH_GATEWAY_TOKENS_ADMN"), env.getMessage());
    ConfigException inJson = failure(null, Map.of("BEACH_GATEWAY_TOKENS", "{\"admn\":\"x\"}"), new JsonObject());
    assertTrue(inJson.getMessage().contains("gateway.tokens.admn") && inJson.getMessage().contains("BEACH_GATEWAY_TOKENS)"),
      inJson.getMessage());
    ConfigException tls = failure(yaml("eventBus: {tls: {keypath: k.pem}}\n"), Map.of(), new JsonObject());
    assertEquals("eventBus.tls.keypath", tls.key());
    ConfigException section = failure(yaml("gateway: {tokens: s3cret}\n"), Map.of(), new JsonObject());
    assertTrue(section.getMessage().contains("gateway.tokens must be a section of keys (admin, realms)"), section.getMessage());
  }

  @Test
  void duplicateRealmTokensAreAConfigurationError() throws Exception {
    LauncherConfig cfg = load(yaml("gateway: {tokens: {realms: {a: same-token, b: same-token}}}\n"), Map.of(), new JsonObject());
    ConfigException e = assertThrows(ConfigException.class, () -> new NodeApplication(cfg, true));
    assertEquals("gateway.tokens.realms.b", e.key());
    assertTrue(e.getMessage().contains("same token as gateway.tokens.realms.a"), e.getMessage());
  }

  @Test
  void embeddedDefaultIsOneLoopbackNodeWithTheSamples() throws Exception {
    LauncherConfig cfg = load(null, Map.of(), new JsonObject());
    assertTrue(cfg.embedded());
    assertEquals("127.0.0.1", cfg.nodeOptions().getCluster().getHost());
    assertTrue(cfg.nodeOptions().getCluster().getSeeds().isEmpty());
    assertTrue(cfg.gatewayEnabled());
    assertFalse(cfg.toJson().getJsonObject("cluster").containsKey("port"), "left for withDefaults to probe");
    dev.beach.Deployment echo = cfg.deploy().get(0);
    assertEquals("global-echo", echo.getName(), "named after realm and first category");
    assertEquals("global", echo.getRealm());
    assertEquals("Echo", echo.getClassName());
    assertEquals(2, echo.instances());
    assertTrue(cfg.deploy().stream().anyMatch(d -> d.getName().equals("project1-ingest")));
    assertEquals(cfg.deploy(), cfg.nodeOptions().getDeployments(), "the node applies them at start");

    // 5701 when free, else a free port: with 5701 held (here, or already by another process) it must be another.
    LauncherConfig resolved;
    ServerSocket held = holdIfFree(ClusterOptions.DEFAULT_HOST, ClusterOptions.DEFAULT_PORT);
    try {
      resolved = cfg.withDefaults(Map.of());
    } finally {
      if (held != null) {
        held.close();
      }
    }
    int port = resolved.nodeOptions().getCluster().getPort();
    assertTrue(port != ClusterOptions.DEFAULT_PORT && port > 0 && port <= 65535, "cluster port " + port + " while 5701 is taken");
    assertNotNullPort(resolved.gateway().getInteger("port"));
    assertTrue(Files.isDirectory(Path.of(resolved.nodeOptions().getBaseCodeDir()).resolve("global")),
      "the code directory's base holds the sample realms: " + resolved.nodeOptions().getBaseCodeDir());
  }

  /** A socket listening on {@code host:port}, or null when something else listens there already. */
  private static ServerSocket holdIfFree(String host, int port) {
    try {
      ServerSocket s = new ServerSocket();
      try {
        s.bind(new InetSocketAddress(host, port));
        return s;
      } catch (IOException taken) {
        s.close();
        return null;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void assertNotNullPort(Integer port) {
    assertTrue(port != null && port > 0 && port <= 65535, "gateway port " + port);
  }

  @Test
  void dataDirIsRelativeToItsFileAndDefaultsToOneFolderPerClusterName() throws Exception {
    LauncherConfig cfg = load(yaml("node: {dataDir: state}\n"), Map.of(), new JsonObject());
    assertEquals(dir.resolve("state").toString(), cfg.nodeOptions().getDataDir());
    Path home = Files.createDirectories(dir.resolve("home"));
    LauncherConfig defaults = load(yaml("cluster: {name: prod}\n"), Map.of(), new JsonObject())
      .withDefaults(Map.of("BEACH_HOME", home.toString()));
    assertEquals(home.resolve("data").resolve("prod").toString(), defaults.nodeOptions().getDataDir());
    ConfigException e = failure(yaml("node: {dataDir: [a]}\n"), Map.of(), new JsonObject());
    assertEquals("node.dataDir", e.key());
  }

  @Test
  void explicitValuesAreNotReplacedByDefaults() throws Exception {
    Path code = Files.createDirectories(dir.resolve("code"));
    LauncherConfig cfg = load(yaml("cluster: {port: 6100}\ngateway: {port: 0}\nnode: {codeDir: code}\n"), Map.of(), new JsonObject())
      .withDefaults(Map.of());
    assertEquals(6100, cfg.nodeOptions().getCluster().getPort());
    assertEquals(0, cfg.gateway().getInteger("port"));
    assertEquals(code.toString(), cfg.nodeOptions().getCodeDir());
  }

  @Test
  void wrongTypeInTheFileNamesKeyAndFile() throws Exception {
    ConfigException e = failure(yaml("cluster:\n  port: abc\n"), Map.of(), new JsonObject());
    assertEquals("cluster.port", e.key());
    assertTrue(e.getMessage().contains("cluster.port must be an integer, got \"abc\""), e.getMessage());
    assertTrue(e.getMessage().contains(dir.resolve("cluster.yaml").toString()), e.getMessage());
  }

  @Test
  void wrongTypeInTheEnvironmentNamesTheVariable() throws Exception {
    ConfigException e = failure(null, Map.of("BEACH_CLUSTER_PORT", "five"), new JsonObject());
    assertEquals("cluster.port", e.key());
    assertTrue(e.getMessage().contains("BEACH_CLUSTER_PORT"), e.getMessage());
  }

  @Test
  void misspelledKeyIsRejectedWithTheKnownKeys() throws Exception {
    ConfigException e = failure(yaml("cluster:\n  seed: [a:1]\n"), Map.of(), new JsonObject());
    assertEquals("cluster.seed", e.key());
    assertTrue(e.getMessage().contains("unknown key cluster.seed") && e.getMessage().contains("seeds"), e.getMessage());

    ConfigException env = failure(null, Map.of("BEACH_NODE_CODEDIR", "/x"), new JsonObject());
    assertTrue(env.getMessage().contains("node.codedir") && env.getMessage().contains("BEACH_NODE_CODEDIR"), env.getMessage());
  }

  @Test
  void unknownSectionIsRejected() throws Exception {
    ConfigException e = failure(yaml("clustr:\n  port: 1\n"), Map.of(), new JsonObject());
    assertEquals("clustr", e.key());
    assertTrue(e.getMessage().contains("expected one of cluster, node, gateway"), e.getMessage());
  }

  @Test
  void valuesTheNodeCannotRunWithAreRejectedByName() throws Exception {
    assertTrue(failure(yaml("cluster: {heartbeatSeconds: 0}\n"), Map.of(), new JsonObject())
      .getMessage().contains("cluster.heartbeatSeconds"));
    assertTrue(failure(yaml("cluster: {seeds: ['10.0.0.1:http']}\n"), Map.of(), new JsonObject())
      .getMessage().contains("cluster.seeds entry '10.0.0.1:http'"));
    assertTrue(failure(yaml("cluster: {port: 70000}\n"), Map.of(), new JsonObject())
      .getMessage().contains("cluster.port"));
    assertTrue(failure(yaml("node: {tags: ['a b']}\n"), Map.of(), new JsonObject())
      .getMessage().contains("node.tags"));
    ConfigException gw = failure(null, Map.of("BEACH_GATEWAY_PORT", "http"), new JsonObject());
    assertEquals("gateway.port", gw.key());
  }

  @Test
  void badDeployEntryNamesItsIndex() throws Exception {
    ConfigException e = failure(yaml("deploy:\n  - {realm: global, class: Echo, categories: [echo]}\n"
      + "  - {realm: 'Not A Realm', class: Echo, categories: [echo]}\n"), Map.of(), new JsonObject());
    assertEquals("deploy[1]", e.key());
    assertTrue(e.getMessage().contains("[a-z0-9][a-z0-9_-]{0,62}"), "quotes the realm rule: " + e.getMessage());
    ConfigException typo = failure(yaml("deploy:\n  - {realm: global, class: Echo, categories: [echo], instnces: 2}\n"),
      Map.of(), new JsonObject());
    assertEquals("deploy[0].instnces", typo.key());
    assertTrue(typo.getMessage().contains("instances"), typo.getMessage());
  }

  @Test
  void deployEntriesAreDeploymentsWithStableNamesAndTheirMistakesNameTheirKey() throws Exception {
    LauncherConfig cfg = load(yaml("deploy:\n  - {realm: global, class: Echo, categories: [echo.loud], perNode: 1}\n"
      + "  - {name: second, realm: global, class: Echo, categories: [echo.loud], restart: on-failure}\n"),
      Map.of(), new JsonObject());
    assertEquals(List.of("global-echo-loud", "second"), cfg.deploy().stream().map(dev.beach.Deployment::getName).toList());
    assertEquals(dev.beach.Deployment.Restart.ON_FAILURE, cfg.deploy().get(1).getRestart());

    ConfigException same = failure(yaml("deploy:\n  - {realm: global, class: Echo, categories: [echo]}\n"
      + "  - {realm: global, class: Counter, categories: [echo, more]}\n"), Map.of(), new JsonObject());
    assertEquals("deploy[1]", same.key());
    assertTrue(same.getMessage().contains("deploy[0]") && same.getMessage().contains("'name'"), same.getMessage());

    ConfigException local = failure(yaml("deploy:\n  - {realm: global, class: Echo, categories: [echo], strategy: local}\n"),
      Map.of(), new JsonObject());
    assertEquals("deploy[0]", local.key());
    assertTrue(local.getMessage().contains("local"), local.getMessage());

    ConfigException both = failure(yaml("deploy:\n  - {realm: global, class: Echo, categories: [e], instances: 2, perNode: 1}\n"),
      Map.of(), new JsonObject());
    assertEquals("deploy[0]", both.key());
    assertTrue(both.getMessage().contains("perNode"), both.getMessage());
    ConfigException badName = failure(yaml("deploy:\n  - {name: Bad Name, realm: global, class: Echo, categories: [e]}\n"),
      Map.of(), new JsonObject());
    assertEquals("deploy[0]", badName.key());
  }

  @Test
  void fromACheckoutPushedCodeGoesUnderTheDataDirectoryOverTheSamples() throws Exception {
    Path home = Files.createDirectories(dir.resolve("home"));
    LauncherConfig cfg = load(null, Map.of(), new JsonObject()).withDefaults(Map.of("BEACH_HOME", home.toString()));
    Path samples = SampleRealms.repositorySamples();
    assertEquals(samples.toString(), cfg.nodeOptions().getBaseCodeDir(), "the samples run from the checkout");
    assertEquals(home.resolve("data").resolve("beach").resolve("realms").toString(), cfg.nodeOptions().getCodeDir(),
      "pushes land under the data directory");
    LauncherConfig explicit = load(yaml("node: {codeDir: code}\n"), Map.of(), new JsonObject()).withDefaults(Map.of());
    assertNull(explicit.nodeOptions().getBaseCodeDir(), "an explicit codeDir is used as it is");
    LauncherConfig based = load(yaml("node: {baseCodeDir: shared}\n"), Map.of(), new JsonObject())
      .withDefaults(Map.of("BEACH_HOME", home.toString()));
    assertEquals(dir.resolve("shared").toString(), based.nodeOptions().getBaseCodeDir());
    assertEquals(home.resolve("data").resolve("beach").resolve("realms").toString(), based.nodeOptions().getCodeDir());
  }

  @Test
  void badGatewaySectionIsAConfigurationError() throws Exception {
    LauncherConfig cfg = load(yaml("gateway: {tls: {keyPath: key.pem}}\n"), Map.of(), new JsonObject());
    ConfigException e = assertThrows(ConfigException.class, () -> new NodeApplication(cfg, true));
    assertTrue(e.getMessage().contains("gateway.tls"), e.getMessage());
  }

  @Test
  void missingOrUnreadableFileIsReported() throws Exception {
    ConfigException missing = failure(dir.resolve("nope.yaml"), Map.of(), new JsonObject());
    assertNull(missing.key());
    assertTrue(missing.getMessage().startsWith("config file not found: "), missing.getMessage());

    ConfigException broken = failure(yaml("cluster: [unclosed\n"), Map.of(), new JsonObject());
    assertTrue(broken.getMessage().startsWith("cannot read " + dir.resolve("cluster.yaml")), broken.getMessage());
  }

  @Test
  void emptyFileMeansAllDefaults() throws Exception {
    LauncherConfig cfg = load(yaml(""), Map.of(), new JsonObject());
    assertEquals("beach", cfg.nodeOptions().getCluster().getName());
    assertTrue(cfg.deploy().isEmpty());
    assertInstanceOf(JsonObject.class, cfg.toJson());
  }

  @Test
  void listsAcceptCommaSeparatedText() throws Exception {
    LauncherConfig cfg = load(yaml("cluster: {seeds: 'a:1, b:2'}\nnode: {tags: gpu}\n"), Map.of(), new JsonObject());
    assertEquals(List.of("a:1", "b:2"), cfg.nodeOptions().getCluster().getSeeds());
    assertEquals(new JsonArray().add("gpu"), cfg.toJson().getJsonObject("node").getJsonArray("tags"));
  }

  @Test
  void shippedSampleConfigurationsAreValid() throws Exception {
    Path samples = SampleRealms.repositorySamples().getParent();
    for (String name : List.of("cluster.yaml", "multinode/node1.yaml", "multinode/node2.yaml", "multinode/node3.yaml")) {
      LauncherConfig cfg = load(samples.resolve(name), Map.of(), new JsonObject());
      new NodeApplication(cfg, true);
      // cluster.yaml leaves it out: from a checkout that means the samples under a folder of the data directory.
      // The multi-node sample says the same explicitly: the samples read-only, pushes under each node's data folder.
      if (name.equals("cluster.yaml")) {
        assertEquals(null, cfg.nodeOptions().getCodeDir(), name);
      } else {
        String n = name.substring("multinode/node".length(), name.length() - ".yaml".length());
        assertEquals(samples.resolve("realms").toString(), cfg.nodeOptions().getBaseCodeDir(), name);
        assertEquals(samples.resolve("multinode/data/n" + n + "/realms").toString(), cfg.nodeOptions().getCodeDir(), name);
        assertEquals(samples.resolve("multinode/data/n" + n).toString(), cfg.nodeOptions().getDataDir(), name);
      }
    }
    LauncherConfig single = load(samples.resolve("cluster.yaml"), Map.of(), new JsonObject());
    assertEquals(LauncherConfig.DEFAULT_GATEWAY_PORT, single.gateway().getInteger("port"));
    assertEquals(List.of("127.0.0.1:5711", "127.0.0.1:5713"),
      load(samples.resolve("multinode/node2.yaml"), Map.of(), new JsonObject()).nodeOptions().getCluster().getSeeds());
  }
}
