package dev.beach;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * How a node joins its cluster: the {@code cluster:} section of {@code cluster.yaml}. Hazelcast joins by
 * TCP-IP member list only (the seeds), never multicast.
 */
public class ClusterOptions {

  public static final String DEFAULT_NAME = "beach";
  public static final String DEFAULT_HOST = "127.0.0.1";
  /** Hazelcast member port; 0 picks a free one. */
  public static final int DEFAULT_PORT = 5701;
  /** Event-bus port; 0 picks a free one. */
  public static final int DEFAULT_EVENT_BUS_PORT = 0;
  /** Hazelcast's own default is 5 s between heartbeats and 60 s before a silent member is dropped. */
  public static final int DEFAULT_HEARTBEAT_SECONDS = 1;
  public static final int DEFAULT_MAX_NO_HEARTBEAT_SECONDS = 5;
  /** Direct node links listen on free ports unless a first port is given. */
  public static final int DEFAULT_LINK_PORT = 0;
  /** The shortest cluster secret accepted: 16 characters (e.g. {@code openssl rand -hex 32} gives 64). */
  public static final int MIN_SECRET_LENGTH = 16;

  private String name = DEFAULT_NAME;
  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private int eventBusPort = DEFAULT_EVENT_BUS_PORT;
  private List<String> seeds = new ArrayList<>();
  private int heartbeatSeconds = DEFAULT_HEARTBEAT_SECONDS;
  private int maxNoHeartbeatSeconds = DEFAULT_MAX_NO_HEARTBEAT_SECONDS;
  private boolean links = true;
  private int linkPort = DEFAULT_LINK_PORT;
  /** Mutual TLS between nodes; not part of this section's JSON: {@link NodeOptions} spells it {@code eventBus.tls}. */
  private TlsOptions tls = new TlsOptions();
  private String secret = "";
  private String secretFile = "";
  private boolean insecure;

  public ClusterOptions() {
  }

  public ClusterOptions(ClusterOptions other) {
    this(other.toJson());
    this.tls = new TlsOptions(other.tls);
  }

  public ClusterOptions(JsonObject json) {
    name = json.getString("name", DEFAULT_NAME);
    host = json.getString("host", DEFAULT_HOST);
    port = json.getInteger("port", DEFAULT_PORT);
    eventBusPort = json.getInteger("eventBusPort", DEFAULT_EVENT_BUS_PORT);
    Object s = json.getValue("seeds");
    if (s instanceof JsonArray) {
      for (Object seed : (JsonArray) s) {
        seeds.add(String.valueOf(seed));
      }
    } else if (s instanceof String && !((String) s).isBlank()) {
      for (String seed : ((String) s).split(",")) {
        seeds.add(seed.trim());
      }
    }
    heartbeatSeconds = json.getInteger("heartbeatSeconds", DEFAULT_HEARTBEAT_SECONDS);
    maxNoHeartbeatSeconds = json.getInteger("maxNoHeartbeatSeconds", DEFAULT_MAX_NO_HEARTBEAT_SECONDS);
    links = json.getBoolean("links", true);
    linkPort = json.getInteger("linkPort", DEFAULT_LINK_PORT);
    secret = json.getString("secret", "");
    secretFile = json.getString("secretFile", "");
    insecure = json.getBoolean("insecure", false);
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("name", name)
      .put("host", host)
      .put("port", port)
      .put("eventBusPort", eventBusPort)
      .put("seeds", new JsonArray(new ArrayList<>(seeds)))
      .put("heartbeatSeconds", heartbeatSeconds)
      .put("maxNoHeartbeatSeconds", maxNoHeartbeatSeconds)
      .put("links", links)
      .put("linkPort", linkPort)
      .put("secret", secret)
      .put("secretFile", secretFile)
      .put("insecure", insecure);
  }

  /** Fails with {@link ErrorCode#BAD_REQUEST} naming the key to fix. */
  public ClusterOptions validate() {
    if (name == null || !name.matches("[A-Za-z0-9_.-]{1,64}")) {
      throw new BeachException(ErrorCode.BAD_REQUEST, "cluster.name must match [A-Za-z0-9_.-]{1,64}");
    }
    if (host == null || host.isBlank()) {
      throw new BeachException(ErrorCode.BAD_REQUEST, "cluster.host must be an address of this machine, e.g. 127.0.0.1");
    }
    if (port < 0 || port > 65535 || eventBusPort < 0 || eventBusPort > 65535) {
      throw new BeachException(ErrorCode.BAD_REQUEST, "cluster.port and cluster.eventBusPort must be 0..65535 (0 = any free port)");
    }
    if (linkPort < 0 || linkPort > 65535) {
      throw new BeachException(ErrorCode.BAD_REQUEST, "cluster.linkPort must be 0..65535 (0 = free ports; N = N, N+1, ... one per event loop)");
    }
    for (String seed : seeds) {
      int colon = seed.lastIndexOf(':');
      if (seed.isBlank() || colon == 0 || (colon > 0 && !seed.substring(colon + 1).matches("[0-9]{1,5}"))) {
        throw new BeachException(ErrorCode.BAD_REQUEST, "cluster.seeds entry '" + seed + "' must be host or host:port");
      }
    }
    if (heartbeatSeconds < 1 || maxNoHeartbeatSeconds <= heartbeatSeconds) {
      throw new BeachException(ErrorCode.BAD_REQUEST,
        "cluster.heartbeatSeconds must be ≥ 1 and cluster.maxNoHeartbeatSeconds greater than it");
    }
    if (tls.isConfigured()) {
      tls.validate("eventBus.tls", true);
    }
    if (!secret.isEmpty() && !secretFile.isEmpty()) {
      throw new BeachException(ErrorCode.BAD_REQUEST, "set one of cluster.secret and cluster.secretFile, not both");
    }
    String resolved = resolveSecret();
    if (resolved != null && resolved.length() < MIN_SECRET_LENGTH) {
      throw new BeachException(ErrorCode.BAD_REQUEST, "the cluster secret (" + (secret.isEmpty() ? "cluster.secretFile"
        : "cluster.secret") + ") must have at least " + MIN_SECRET_LENGTH + " characters; `openssl rand -hex 32` makes one");
    }
    if (!isLoopback(host) && !tlsEnabled() && resolved == null && !insecure) {
      throw new BeachException(ErrorCode.BAD_REQUEST, "cluster.host " + host + " is reachable from other machines, and"
        + " anyone who reaches a node could join and run code: set a cluster secret (cluster.secret,"
        + " BEACH_CLUSTER_SECRET or cluster.secretFile) or mutual TLS (eventBus.tls), or say cluster.insecure: true"
        + " for a network you trust entirely");
    }
    return this;
  }

  /** Whether the event bus between nodes runs mutual TLS (every node presents a certificate the others trust). */
  public boolean tlsEnabled() {
    return tls.getKeyPath() != null && tls.getCertPath() != null && tls.getTrustPath() != null;
  }

  /**
   * Event-bus TLS: this node's PEM private key and certificate, and the PEM certificate(s) it trusts for peers.
   * All actor traffic then travels encrypted and only nodes holding a trusted certificate can talk to it.
   * Hazelcast's membership protocol (open-source edition) stays plain: keep the cluster port on a private network.
   */
  public ClusterOptions setTls(String keyPath, String certPath, String trustPath) {
    return setTls(new TlsOptions().setKeyPath(keyPath).setCertPath(certPath).setTrustPath(trustPath));
  }

  /** The event-bus TLS files ({@code eventBus.tls}); a copy. */
  public TlsOptions getTls() {
    return new TlsOptions(tls);
  }

  public ClusterOptions setTls(TlsOptions tls) {
    this.tls = tls == null ? new TlsOptions() : new TlsOptions(tls);
    return this;
  }

  public String getName() {
    return name;
  }

  public ClusterOptions setName(String name) {
    this.name = name;
    return this;
  }

  public String getHost() {
    return host;
  }

  public ClusterOptions setHost(String host) {
    this.host = host;
    return this;
  }

  public int getPort() {
    return port;
  }

  public ClusterOptions setPort(int port) {
    this.port = port;
    return this;
  }

  public int getEventBusPort() {
    return eventBusPort;
  }

  public ClusterOptions setEventBusPort(int eventBusPort) {
    this.eventBusPort = eventBusPort;
    return this;
  }

  public boolean isLinks() {
    return links;
  }

  /**
   * Whether actor requests between nodes travel on direct node links (one TCP connection per pair of event
   * loops in use, lowest latency) rather than on the clustered event bus. On by default; the event bus stays
   * the fallback, and carries everything else (control plane, events, broadcasts). Turn off where only the
   * event-bus port may cross the network.
   */
  public ClusterOptions setLinks(boolean links) {
    this.links = links;
    return this;
  }

  public int getLinkPort() {
    return linkPort;
  }

  /**
   * The first port of this node's link listeners: one per event loop, at {@code linkPort}, {@code linkPort + 1},
   * and so on; 0 (the default) takes free ports. They listen on {@link #getHost()} and use the event bus TLS.
   */
  public ClusterOptions setLinkPort(int linkPort) {
    this.linkPort = linkPort;
    return this;
  }

  public List<String> getSeeds() {
    return seeds;
  }

  public ClusterOptions setSeeds(List<String> seeds) {
    this.seeds = new ArrayList<>(seeds);
    return this;
  }

  public ClusterOptions addSeed(String seed) {
    this.seeds.add(seed);
    return this;
  }

  public int getHeartbeatSeconds() {
    return heartbeatSeconds;
  }

  public ClusterOptions setHeartbeatSeconds(int heartbeatSeconds) {
    this.heartbeatSeconds = heartbeatSeconds;
    return this;
  }

  public int getMaxNoHeartbeatSeconds() {
    return maxNoHeartbeatSeconds;
  }

  public ClusterOptions setMaxNoHeartbeatSeconds(int maxNoHeartbeatSeconds) {
    this.maxNoHeartbeatSeconds = maxNoHeartbeatSeconds;
    return this;
  }

  /**
   * The secret every node of the cluster shares: {@code secret} when set, else the first line of
   * {@code secretFile}; null when neither is set.
   *
   * @throws BeachException {@code BAD_REQUEST} naming {@code cluster.secretFile} when the file cannot be read
   */
  public String resolveSecret() {
    if (!secret.isEmpty()) {
      return secret;
    }
    if (secretFile.isEmpty()) {
      return null;
    }
    try {
      List<String> lines = java.nio.file.Files.readAllLines(java.nio.file.Path.of(secretFile));
      String first = lines.isEmpty() ? "" : lines.get(0).trim();
      if (first.isEmpty()) {
        throw new BeachException(ErrorCode.BAD_REQUEST, "cluster.secretFile " + secretFile + " is empty");
      }
      return first;
    } catch (java.io.IOException | java.nio.file.InvalidPathException e) {
      throw new BeachException(ErrorCode.BAD_REQUEST, "cluster.secretFile must name a readable file, not "
        + secretFile + " (" + e.getMessage() + ")");
    }
  }

  /** Whether the node reaches only this machine; a name that does not resolve counts as reachable. */
  static boolean isLoopback(String host) {
    try {
      return host != null && java.net.InetAddress.getByName(host).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  public String getSecret() {
    return secret;
  }

  /**
   * The cluster secret, shared by every node: node links prove it to each other (challenge and response, it
   * never crosses the wire) and replicated code is signed with it. Empty: none. At least
   * {@value #MIN_SECRET_LENGTH} characters. Prefer {@code BEACH_CLUSTER_SECRET} or {@link #setSecretFile} to
   * writing it into a file under version control.
   */
  public ClusterOptions setSecret(String secret) {
    this.secret = secret == null ? "" : secret;
    return this;
  }

  public String getSecretFile() {
    return secretFile;
  }

  /** A file whose first line is the cluster secret (see {@link #setSecret}); empty: none. */
  public ClusterOptions setSecretFile(String secretFile) {
    this.secretFile = secretFile == null ? "" : secretFile;
    return this;
  }

  public boolean isInsecure() {
    return insecure;
  }

  /**
   * Lets a node whose {@code host} other machines can reach start without a cluster secret or TLS: anyone who
   * reaches its ports can then join, send requests as anyone and push code. Only for a network you trust
   * entirely; the node says so loudly when it starts.
   */
  public ClusterOptions setInsecure(boolean insecure) {
    this.insecure = insecure;
    return this;
  }

  /** The JSON form with the secret replaced by {@code ***}: safe for logs. */
  @Override
  public String toString() {
    JsonObject json = toJson();
    if (!secret.isEmpty()) {
      json.put("secret", "***");
    }
    return json.encode();
  }
}
