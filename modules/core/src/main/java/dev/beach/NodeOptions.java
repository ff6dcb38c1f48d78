package dev.beach;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * One node's own settings: the {@code node:} section of {@code cluster.yaml}, plus the {@link ClusterOptions}
 * it joins with ({@code cluster:}) and the deployments it applies at start ({@code deploy:}). The JSON form is the
 * YAML layout: {@code {cluster: {...}, node: {...}, deploy: [...]}}.
 */
public class NodeOptions {

  public static final long DEFAULT_STATS_INTERVAL_MS = 1000;
  /** How long a directory may trail a peer's published sequence before it pulls the peer's full list. */
  public static final long DEFAULT_DIRECTORY_SYNC_MS = 2_000;
  public static final long DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
  public static final long DEFAULT_CONTROL_TIMEOUT_MS = 30_000;
  public static final long DEFAULT_DRAIN_TIMEOUT_MS = 10_000;
  /** Lines each actor's log ring keeps (the most recent ones); 0 keeps none. */
  public static final int DEFAULT_LOG_LINES = 256;
  /** A longer log message is cut to this many UTF-8 bytes (and marked truncated). */
  public static final int DEFAULT_LOG_LINE_BYTES = 1024;
  /** Lines per second one actor may write; the rest are counted as dropped, in the ring and in SLF4J alike. */
  public static final int DEFAULT_LOG_LINES_PER_SECOND = 100;
  /** What all the actor log rings of a node may hold together, in bytes (approximate). */
  public static final long DEFAULT_LOG_BYTES = 64L * 1024 * 1024;
  /** How often the reconciling leader looks at the deployments without being told of a change. */
  public static final long DEFAULT_RECONCILE_INTERVAL_MS = 2_000;
  /** Tracing is off unless asked for: off, no span is made and nothing is allocated per request. */
  public static final boolean DEFAULT_TRACING_ENABLED = false;
  public static final double DEFAULT_TRACING_RATIO = 1.0;
  /** The longest a node stays unready waiting for its start-up deployments (see {@link #getReadyTimeoutMs()}). */
  public static final long DEFAULT_READY_TIMEOUT_MS = 60_000;

  private ClusterOptions cluster = new ClusterOptions();
  private List<String> tags = new ArrayList<>();
  private List<String> trustedRealms = new ArrayList<>();
  private String codeDir;
  private String baseCodeDir;
  private String dataDir;
  private String displayHost;
  private long statsIntervalMs = DEFAULT_STATS_INTERVAL_MS;
  private long directorySyncMs = DEFAULT_DIRECTORY_SYNC_MS;
  private long requestTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS;
  private long controlTimeoutMs = DEFAULT_CONTROL_TIMEOUT_MS;
  private long drainTimeoutMs = DEFAULT_DRAIN_TIMEOUT_MS;
  private int logLines = DEFAULT_LOG_LINES;
  private int logLineBytes = DEFAULT_LOG_LINE_BYTES;
  private int logLinesPerSecond = DEFAULT_LOG_LINES_PER_SECOND;
  private long logBytes = DEFAULT_LOG_BYTES;
  private long reconcileIntervalMs = DEFAULT_RECONCILE_INTERVAL_MS;
  private boolean tracingEnabled = DEFAULT_TRACING_ENABLED;
  private double tracingRatio = DEFAULT_TRACING_RATIO;
  private long readyTimeoutMs = DEFAULT_READY_TIMEOUT_MS;
  private List<Deployment> deployments = new ArrayList<>();

  public NodeOptions() {
  }

  public NodeOptions(NodeOptions other) {
    this(other.toJson());
  }

  /**
   * Reads {@code {cluster: {...}, node: {...}, deploy: [...]}}; other top-level keys (gateway, ...) are left to their
   * owners. A {@code deploy} entry is a {@link Deployment}'s JSON form; one without {@code name} gets {@link
   * Deployment#derivedName}. A malformed entry fails with {@code BAD_REQUEST} starting with {@code deploy[i]}.
   */
  public NodeOptions(JsonObject json) {
    JsonObject c = json.getJsonObject("cluster");
    cluster = c == null ? new ClusterOptions() : new ClusterOptions(c);
    // DESIGN.md puts event-bus TLS in its own section: {eventBus: {tls: {keyPath, certPath, trustPath}}}.
    JsonObject eventBus = json.getJsonObject("eventBus");
    JsonObject tls = eventBus == null ? null : eventBus.getJsonObject("tls");
    if (tls != null) {
      cluster.setTls(new TlsOptions(tls));
    }
    JsonObject node = json.getJsonObject("node", new JsonObject());
    readList(node.getValue("tags"), tags);
    readList(node.getValue("trustedRealms"), trustedRealms);
    codeDir = node.getString("codeDir");
    baseCodeDir = node.getString("baseCodeDir");
    dataDir = node.getString("dataDir");
    displayHost = node.getString("host");
    statsIntervalMs = node.getLong("statsIntervalMs", DEFAULT_STATS_INTERVAL_MS);
    directorySyncMs = node.getLong("directorySyncMs", DEFAULT_DIRECTORY_SYNC_MS);
    requestTimeoutMs = node.getLong("requestTimeoutMs", DEFAULT_REQUEST_TIMEOUT_MS);
    controlTimeoutMs = node.getLong("controlTimeoutMs", DEFAULT_CONTROL_TIMEOUT_MS);
    drainTimeoutMs = node.getLong("drainTimeoutMs", DEFAULT_DRAIN_TIMEOUT_MS);
    logLines = node.getInteger("logLines", DEFAULT_LOG_LINES);
    logLineBytes = node.getInteger("logLineBytes", DEFAULT_LOG_LINE_BYTES);
    logLinesPerSecond = node.getInteger("logLinesPerSecond", DEFAULT_LOG_LINES_PER_SECOND);
    logBytes = node.getLong("logBytes", DEFAULT_LOG_BYTES);
    reconcileIntervalMs = node.getLong("reconcileIntervalMs", DEFAULT_RECONCILE_INTERVAL_MS);
    readyTimeoutMs = node.getLong("readyTimeoutMs", DEFAULT_READY_TIMEOUT_MS);
    Object deploy = json.getValue("deploy");
    if (deploy != null && !(deploy instanceof JsonArray)) {
      throw new BeachException(ErrorCode.BAD_REQUEST, "deploy must be a list of deployments");
    }
    JsonArray list = deploy == null ? new JsonArray() : (JsonArray) deploy;
    for (int i = 0; i < list.size(); i++) {
      deployments.add(startupDeployment(i, list.getValue(i)));
    }
    JsonObject tracing = json.getJsonObject("tracing", new JsonObject());
    tracingEnabled = tracing.getBoolean("enabled", DEFAULT_TRACING_ENABLED);
    tracingRatio = tracing.getDouble("ratio", DEFAULT_TRACING_RATIO);
  }

  /** One {@code deploy} entry, named ({@link Deployment#derivedName} when it names none); not yet validated. */
  private static Deployment startupDeployment(int i, Object entry) {
    String key = "deploy[" + i + "]";
    if (!(entry instanceof JsonObject)) {
      throw new BeachException(ErrorCode.BAD_REQUEST, key + " must be a deployment {name, realm, class, categories, "
        + "instances | perNode, strategy, params, ...}");
    }
    JsonObject json = ((JsonObject) entry).copy();
    try {
      Deployment d = new Deployment(json);
      if (d.getName() == null) {
        d.setName(Deployment.derivedName(d.getRealm(), d.getCategories()));
      }
      return d;
    } catch (BeachException e) {
      throw new BeachException(ErrorCode.BAD_REQUEST, key + " " + ((JsonObject) entry).encode() + ": " + e.getMessage());
    }
  }

  public JsonObject toJson() {
    JsonObject node = new JsonObject()
      .put("tags", new JsonArray(new ArrayList<>(tags)))
      .put("trustedRealms", new JsonArray(new ArrayList<>(trustedRealms)))
      .put("statsIntervalMs", statsIntervalMs)
      .put("directorySyncMs", directorySyncMs)
      .put("requestTimeoutMs", requestTimeoutMs)
      .put("controlTimeoutMs", controlTimeoutMs)
      .put("drainTimeoutMs", drainTimeoutMs)
      .put("logLines", logLines)
      .put("logLineBytes", logLineBytes)
      .put("logLinesPerSecond", logLinesPerSecond)
      .put("logBytes", logBytes)
      .put("reconcileIntervalMs", reconcileIntervalMs)
      .put("readyTimeoutMs", readyTimeoutMs);
    if (codeDir != null) {
      node.put("codeDir", codeDir);
    }
    if (baseCodeDir != null) {
      node.put("baseCodeDir", baseCodeDir);
    }
    if (dataDir != null) {
      node.put("dataDir", dataDir);
    }
    if (displayHost != null) {
      node.put("host", displayHost);
    }
    JsonObject out = new JsonObject().put("cluster", cluster.toJson()).put("node", node)
      .put("tracing", new JsonObject().put("enabled", tracingEnabled).put("ratio", tracingRatio));
    if (!deployments.isEmpty()) {
      JsonArray deploy = new JsonArray();
      deployments.forEach(d -> deploy.add(d.toJson(true)));
      out.put("deploy", deploy);
    }
    TlsOptions tls = cluster.getTls();
    return tls.isConfigured() ? out.put("eventBus", new JsonObject().put("tls", tls.toJson())) : out;
  }

  public NodeOptions validate() {
    cluster.validate();
    for (String tag : tags) {
      if (!tag.matches("[A-Za-z0-9_.-]{1,64}")) {
        throw new BeachException(ErrorCode.BAD_REQUEST, "node.tags entry '" + tag + "' must match [A-Za-z0-9_.-]{1,64}");
      }
    }
    for (String realm : trustedRealms) {
      if (realm == null || !realm.matches(Address.REALM_RULE)) {
        throw new BeachException(ErrorCode.BAD_REQUEST, "node.trustedRealms entry '" + realm
          + "' is not a realm name: must match " + Address.REALM_RULE);
      }
    }
    if (reconcileIntervalMs < 100) {
      throw new BeachException(ErrorCode.BAD_REQUEST, "node.reconcileIntervalMs must be ≥ 100");
    }
    if (statsIntervalMs < 50 || directorySyncMs < statsIntervalMs || requestTimeoutMs < 1 || controlTimeoutMs < 1) {
      throw new BeachException(ErrorCode.BAD_REQUEST,
        "node.statsIntervalMs must be ≥ 50, node.directorySyncMs ≥ statsIntervalMs, timeouts ≥ 1");
    }
    if (logLines < 0 || logLines > 100_000 || logLineBytes < 64 || logLineBytes > 65_536 || logLinesPerSecond < 1
      || logLinesPerSecond > 1_000_000 || logBytes < 0) {
      throw new BeachException(ErrorCode.BAD_REQUEST, "node.logLines must be 0..100000, node.logLineBytes 64..65536, "
        + "node.logLinesPerSecond 1..1000000 and node.logBytes ≥ 0 (not " + logLines + ", " + logLineBytes + ", "
        + logLinesPerSecond + ", " + logBytes + ")");
    }
    if (readyTimeoutMs < 0) {
      throw new BeachException(ErrorCode.BAD_REQUEST, "node.readyTimeoutMs must be ≥ 0, not " + readyTimeoutMs);
    }
    java.util.Map<String, Integer> names = new java.util.HashMap<>();
    for (int i = 0; i < deployments.size(); i++) {
      Deployment d = deployments.get(i);
      String key = "deploy[" + i + "]";
      try {
        d.validate();
      } catch (BeachException e) {
        throw new BeachException(ErrorCode.BAD_REQUEST, key + " (deployment " + d.getName() + "): " + e.getMessage());
      }
      Integer same = names.putIfAbsent(d.getName(), i);
      if (same != null) {
        throw new BeachException(ErrorCode.BAD_REQUEST, key + " and deploy[" + same + "] are both deployment '"
          + d.getName() + "' (named after realm and first category unless they set one): give one of them a 'name'");
      }
    }
    if (!(tracingRatio >= 0 && tracingRatio <= 1)) {
      throw new BeachException(ErrorCode.BAD_REQUEST, "tracing.ratio must be 0..1 (the share of traces sampled), not "
        + tracingRatio);
    }
    return this;
  }

  /** Whether the node makes spans (through the OpenTelemetry SDK its starter registered globally). */
  public boolean isTracingEnabled() {
    return tracingEnabled;
  }

  public NodeOptions setTracingEnabled(boolean tracingEnabled) {
    this.tracingEnabled = tracingEnabled;
    return this;
  }

  /** The share of new traces sampled, applied by whoever builds the SDK (OTEL_TRACES_SAMPLER takes precedence). */
  public double getTracingRatio() {
    return tracingRatio;
  }

  public NodeOptions setTracingRatio(double tracingRatio) {
    this.tracingRatio = tracingRatio;
    return this;
  }

  public ClusterOptions getCluster() {
    return cluster;
  }

  public NodeOptions setCluster(ClusterOptions cluster) {
    this.cluster = cluster;
    return this;
  }

  public List<String> getTags() {
    return tags;
  }

  public NodeOptions setTags(List<String> tags) {
    this.tags = new ArrayList<>(tags);
    return this;
  }

  public List<String> getTrustedRealms() {
    return trustedRealms;
  }

  /**
   * Realms whose actors get a client that acts in every realm: reach, deploy and stop anywhere, flush the cluster,
   * shut nodes down. Every other actor's {@link Actor#beach()} acts only in its own realm (403 elsewhere). Empty by
   * default. A per-node setting an operator makes, never a deployment's: a realm token may deploy, so a flag on
   * the deployment would let any realm raise itself. Set it alike on every node, since it applies to the actors
   * each node hosts.
   */
  public NodeOptions setTrustedRealms(List<String> trustedRealms) {
    this.trustedRealms = new ArrayList<>(trustedRealms);
    return this;
  }

  public String getCodeDir() {
    return codeDir;
  }

  public NodeOptions setCodeDir(String codeDir) {
    this.codeDir = codeDir;
    return this;
  }

  /**
   * A read-only folder of realm code beneath {@link #getCodeDir()}: {@code <baseCodeDir>/<realm>/} files are used as
   * if they were in the code folder, unless the code folder has a file of the same name, and pushes never write here.
   * {@code beach node} run from a checkout sets it to the repository's {@code samples/realms} (with the code folder
   * under the data folder), so pushed code never lands in the working tree. Null (the default): none.
   */
  public String getBaseCodeDir() {
    return baseCodeDir;
  }

  public NodeOptions setBaseCodeDir(String baseCodeDir) {
    this.baseCodeDir = baseCodeDir;
    return this;
  }

  /**
   * Where this node keeps its copy of the cluster's deployments ({@code <dataDir>/deployments.json}), so that a full
   * cluster restart restores them. Null (the default here) keeps no copy: a node embedded in a program or a test
   * writes nothing to disk unless told where; {@code beach node} defaults it to {@code ~/.beach/data/<cluster name>}
   * ({@code $BEACH_HOME/data/...}), and a relative one in {@code cluster.yaml} is relative to that file.
   */
  public String getDataDir() {
    return dataDir;
  }

  public NodeOptions setDataDir(String dataDir) {
    this.dataDir = dataDir;
    return this;
  }

  /** The host name shown for this node and matched by {@code node(host:..)}; defaults to the cluster host. */
  public String getDisplayHost() {
    return displayHost != null ? displayHost : cluster.getHost();
  }

  public NodeOptions setDisplayHost(String displayHost) {
    this.displayHost = displayHost;
    return this;
  }

  public long getStatsIntervalMs() {
    return statsIntervalMs;
  }

  public NodeOptions setStatsIntervalMs(long statsIntervalMs) {
    this.statsIntervalMs = statsIntervalMs;
    return this;
  }

  /**
   * How long this node's directory may trail a peer (the peer's stats show a newer sequence than the events
   * seen) before it pulls that peer's full actor list. Events normally arrive in milliseconds; this bounds
   * how long a lost one can go unnoticed.
   */
  public long getDirectorySyncMs() {
    return directorySyncMs;
  }

  public NodeOptions setDirectorySyncMs(long directorySyncMs) {
    this.directorySyncMs = directorySyncMs;
    return this;
  }

  public long getRequestTimeoutMs() {
    return requestTimeoutMs;
  }

  public NodeOptions setRequestTimeoutMs(long requestTimeoutMs) {
    this.requestTimeoutMs = requestTimeoutMs;
    return this;
  }

  public long getControlTimeoutMs() {
    return controlTimeoutMs;
  }

  public NodeOptions setControlTimeoutMs(long controlTimeoutMs) {
    this.controlTimeoutMs = controlTimeoutMs;
    return this;
  }

  public long getDrainTimeoutMs() {
    return drainTimeoutMs;
  }

  public NodeOptions setDrainTimeoutMs(long drainTimeoutMs) {
    this.drainTimeoutMs = drainTimeoutMs;
    return this;
  }

  /** A JSON list, or one comma-separated string (an environment variable), into {@code out}. */
  private static void readList(Object value, List<String> out) {
    if (value instanceof JsonArray) {
      ((JsonArray) value).forEach(v -> out.add(String.valueOf(v)));
    } else if (value instanceof String && !((String) value).isBlank()) {
      for (String v : ((String) value).split(",")) {
        out.add(v.trim());
      }
    }
  }

  /** Lines each actor's log ring keeps, the most recent ones ({@link Beach#logs}); 0 keeps none. */
  public int getLogLines() {
    return logLines;
  }

  public NodeOptions setLogLines(int logLines) {
    this.logLines = logLines;
    return this;
  }

  /** The most UTF-8 bytes of one log message kept in the ring; a longer one is cut and marked truncated. */
  public int getLogLineBytes() {
    return logLineBytes;
  }

  public NodeOptions setLogLineBytes(int logLineBytes) {
    this.logLineBytes = logLineBytes;
    return this;
  }

  /**
   * Lines per second one actor may write through its logger. Past it, lines go neither to the ring nor to SLF4J;
   * they are counted, and one "N lines dropped" line says so when the second is over.
   */
  public int getLogLinesPerSecond() {
    return logLinesPerSecond;
  }

  public NodeOptions setLogLinesPerSecond(int logLinesPerSecond) {
    this.logLinesPerSecond = logLinesPerSecond;
    return this;
  }

  /**
   * What the log rings of all this node's actors may hold together (approximate bytes). When it is reached, a ring
   * makes room by dropping its own oldest line, and a ring with none drops the new line: many actors logging at
   * once cannot exhaust the heap, even though each ring alone is within {@code logLines × logLineBytes}.
   */
  public long getLogBytes() {
    return logBytes;
  }

  public NodeOptions setLogBytes(long logBytes) {
    this.logBytes = logBytes;
    return this;
  }

  /**
   * How often the reconciling leader re-checks the deployments for anything its events missed. It reacts to events
   * (a node left or joined, an actor stopped, a deployment changed) at once; this only bounds how long a missed one
   * can go unnoticed.
   */
  public long getReconcileIntervalMs() {
    return reconcileIntervalMs;
  }

  public NodeOptions setReconcileIntervalMs(long reconcileIntervalMs) {
    this.reconcileIntervalMs = reconcileIntervalMs;
    return this;
  }

  /**
   * The longest this node stays unready ({@link BeachNode#readiness()}) waiting for its start-up deployments: ready
   * once each is available and listed on this node, or failed (a crash loop, or a class that cannot start, ends
   * there after its restarts), or this long after the node started, whichever comes first (a deployment that can
   * never run, say one whose {@code node(...)} matches no node, must not keep the node out of a load balancer
   * forever). 60 s by default; 0 makes the node ready at once.
   */
  public long getReadyTimeoutMs() {
    return readyTimeoutMs;
  }

  public NodeOptions setReadyTimeoutMs(long readyTimeoutMs) {
    this.readyTimeoutMs = readyTimeoutMs;
    return this;
  }

  /**
   * The deployments this node applies once it has started ({@code deploy:} of cluster.yaml): each is stored when the
   * cluster holds none of that name or a different one, else left alone, so restarting a node with the same file
   * restarts no actor and nodes sharing one file agree. What the file says wins at start over a change made by hand
   * ({@code beach scale}, {@code apply}) since. The node is ready ({@link BeachNode#readiness()}) once they run.
   */
  public List<Deployment> getDeployments() {
    return deployments;
  }

  public NodeOptions setDeployments(List<Deployment> deployments) {
    this.deployments = new ArrayList<>();
    deployments.forEach(d -> this.deployments.add(new Deployment(d)));
    return this;
  }

  /** The JSON form with the cluster secret and private deployment parameters hidden: safe for logs. */
  @Override
  public String toString() {
    JsonObject json = toJson();
    if (json.containsKey("deploy")) {
      JsonArray deploy = new JsonArray();
      deployments.forEach(d -> deploy.add(d.toJson(false)));
      json.put("deploy", deploy);
    }
    if (!cluster.getSecret().isEmpty()) {
      json.getJsonObject("cluster").put("secret", "***");
    }
    return json.encode();
  }
}
