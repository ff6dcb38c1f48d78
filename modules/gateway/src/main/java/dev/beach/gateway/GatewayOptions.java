package dev.beach.gateway;

import dev.beach.Address;
import dev.beach.BeachException;
import dev.beach.ErrorCode;
import dev.beach.TlsOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code gateway:} section of {@code cluster.yaml}. Round-trips JSON:
 * <pre>
 * gateway:
 *   enabled: true
 *   host: 127.0.0.1
 *   port: 8080                  # 0 picks a free port
 *   tls: {keyPath: key.pem, certPath: cert.pem}
 *   tokens:
 *     admin: "s3cret"           # may do everything
 *     realms: {analytics: "t1"} # read and dispatch in that realm only
 *   maxBodyBytes: 1048576
 *   allowedHosts: [beach.example.com]          # Host names besides localhost names and loopback addresses
 *   allowedOrigins: [https://ops.example.com]  # pages that may call the API from another origin (CORS)
 *   headerTimeoutMs: 10000      # a connection sends a request head within this, or is closed
 *   idleTimeoutMs: 30000        # a body that stops arriving, or an answer nobody reads, for this long: closed
 *   quotas: {actorsPerRealm: 10000, ...}     # see QuotaOptions
 * </pre>
 */
public class GatewayOptions {

  public static final boolean DEFAULT_ENABLED = true;
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;
  /** Request bodies larger than this answer 413. */
  public static final long DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
  /** Code pushes ({@code PUT .../code/{file}}) carry jars, so they get their own, larger limit. */
  public static final long DEFAULT_MAX_CODE_BYTES = 64L * 1024 * 1024;
  /** An SSE comment line this often keeps proxies from closing an idle event stream. */
  public static final long DEFAULT_SSE_HEARTBEAT_MS = 15_000;
  /**
   * A connection must send a complete request line and headers within this long of opening, or of its previous
   * answer ending (so it is also how long an idle keep-alive connection stays open): slowloris clients that
   * trickle headers hold a connection for this long at most.
   */
  public static final long DEFAULT_HEADER_TIMEOUT_MS = 10_000;
  /** A request body that stops arriving, or an answer the client stops reading, for this long: the connection is cut. */
  public static final long DEFAULT_IDLE_TIMEOUT_MS = 30_000;

  private boolean enabled = DEFAULT_ENABLED;
  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private TlsOptions tls = new TlsOptions();
  private String adminToken;
  private Map<String, String> realmTokens = new LinkedHashMap<>();
  private long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
  private long maxCodeBytes = DEFAULT_MAX_CODE_BYTES;
  private long sseHeartbeatMs = DEFAULT_SSE_HEARTBEAT_MS;
  private List<String> allowedHosts = new ArrayList<>();
  private List<String> allowedOrigins = new ArrayList<>();
  private long headerTimeoutMs = DEFAULT_HEADER_TIMEOUT_MS;
  private long idleTimeoutMs = DEFAULT_IDLE_TIMEOUT_MS;
  private QuotaOptions quotas = new QuotaOptions();

  public GatewayOptions() {
  }

  public GatewayOptions(GatewayOptions other) {
    this(other.toJson());
  }

  /** Reads the {@code gateway:} section; unknown keys and wrong types fail with 400 naming the key. */
  public GatewayOptions(JsonObject json) {
    requireKnownKeys("gateway", json, schema());
    try {
      enabled = json.getBoolean("enabled", DEFAULT_ENABLED);
      host = json.getString("host", DEFAULT_HOST);
      port = json.getInteger("port", DEFAULT_PORT);
      JsonObject tlsJson = json.getJsonObject("tls");
      if (tlsJson != null) {
        tls = new TlsOptions(tlsJson);
      }
      JsonObject tokens = json.getJsonObject("tokens");
      if (tokens != null) {
        adminToken = tokens.getString("admin");
        JsonObject realms = tokens.getJsonObject("realms");
        if (realms != null) {
          for (String realm : realms.fieldNames()) {
            realmTokens.put(realm, realms.getString(realm));
          }
        }
      }
      maxBodyBytes = json.getLong("maxBodyBytes", DEFAULT_MAX_BODY_BYTES);
      maxCodeBytes = json.getLong("maxCodeBytes", DEFAULT_MAX_CODE_BYTES);
      sseHeartbeatMs = json.getLong("sseHeartbeatMs", DEFAULT_SSE_HEARTBEAT_MS);
      allowedHosts = strings(json.getJsonArray("allowedHosts"));
      allowedOrigins = strings(json.getJsonArray("allowedOrigins"));
      headerTimeoutMs = json.getLong("headerTimeoutMs", DEFAULT_HEADER_TIMEOUT_MS);
      idleTimeoutMs = json.getLong("idleTimeoutMs", DEFAULT_IDLE_TIMEOUT_MS);
      JsonObject quotasJson = json.getJsonObject("quotas");
      if (quotasJson != null) {
        quotas = new QuotaOptions(quotasJson);
      }
    } catch (ClassCastException e) {
      throw new BeachException(ErrorCode.BAD_REQUEST, "gateway section has a value of the wrong type: " + e.getMessage());
    }
  }

  private static List<String> strings(JsonArray array) {
    List<String> out = new ArrayList<>();
    if (array != null) {
      for (int i = 0; i < array.size(); i++) {
        out.add(array.getString(i));
      }
    }
    return out;
  }

  /**
   * Every key of the section, each with a value of its type: what {@code cluster.yaml} may hold under
   * {@code gateway:}. A nested object is a sub-section with its own keys; an object whose only key is
   * {@code "*"} is a map whose keys are names (the realms of {@code tokens.realms}) and whose values have the
   * type of the {@code "*"} value. The launcher checks the YAML and the {@code BEACH_GATEWAY_*} variables
   * against it, so a new option needs no change there.
   */
  public static JsonObject schema() {
    return new GatewayOptions().toJson()
      .put("tls", new JsonObject().put("keyPath", "").put("certPath", ""))
      .put("tokens", new JsonObject().put("admin", "").put("realms", new JsonObject().put("*", "")));
  }

  /** Fails with 400 naming the first key of {@code json} (at {@code path}) that {@code schema} lacks. */
  private static void requireKnownKeys(String path, JsonObject json, JsonObject schema) {
    for (String key : json.fieldNames()) {
      Object expected = schema.containsKey(key) ? schema.getValue(key) : schema.getValue("*");
      if (expected == null && !schema.containsKey(key)) {
        java.util.Set<String> known = new java.util.TreeSet<>(schema.fieldNames());
        throw new BeachException(ErrorCode.BAD_REQUEST, "unknown key " + path + "." + key + ": known keys of " + path
          + " are " + String.join(", ", known));
      }
      if (expected instanceof JsonObject && json.getValue(key) instanceof JsonObject) {
        requireKnownKeys(path + "." + key, json.getJsonObject(key), (JsonObject) expected);
      }
    }
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
      .put("enabled", enabled)
      .put("host", host)
      .put("port", port)
      .put("maxBodyBytes", maxBodyBytes)
      .put("maxCodeBytes", maxCodeBytes)
      .put("sseHeartbeatMs", sseHeartbeatMs)
      .put("allowedHosts", new JsonArray(new ArrayList<>(allowedHosts)))
      .put("allowedOrigins", new JsonArray(new ArrayList<>(allowedOrigins)))
      .put("headerTimeoutMs", headerTimeoutMs)
      .put("idleTimeoutMs", idleTimeoutMs)
      .put("quotas", quotas.toJson());
    if (tls.isConfigured()) {
      json.put("tls", tls.toJson());
    }
    if (adminToken != null || !realmTokens.isEmpty()) {
      JsonObject tokens = new JsonObject();
      if (adminToken != null) {
        tokens.put("admin", adminToken);
      }
      if (!realmTokens.isEmpty()) {
        tokens.put("realms", new JsonObject(new LinkedHashMap<>(realmTokens)));
      }
      json.put("tokens", tokens);
    }
    return json;
  }

  /** Checks every value; fails with 400 naming the key and what to write instead. */
  public GatewayOptions validate() {
    if (host == null || host.isBlank()) {
      throw new BeachException(ErrorCode.BAD_REQUEST, "gateway.host must be an address of this machine, e.g. 127.0.0.1");
    }
    if (port < 0 || port > 65535) {
      throw new BeachException(ErrorCode.BAD_REQUEST, "gateway.port must be 0..65535 (0 = any free port)");
    }
    if ((tls.getKeyPath() == null) != (tls.getCertPath() == null)) {
      throw new BeachException(ErrorCode.BAD_REQUEST, "gateway.tls needs both keyPath and certPath (PEM files)");
    }
    if (maxBodyBytes < 1 || maxCodeBytes < 1) {
      throw new BeachException(ErrorCode.BAD_REQUEST, "gateway.maxBodyBytes and gateway.maxCodeBytes must be at least 1");
    }
    if (sseHeartbeatMs < 10) {
      throw new BeachException(ErrorCode.BAD_REQUEST, "gateway.sseHeartbeatMs must be at least 10");
    }
    if (headerTimeoutMs < 100 || idleTimeoutMs < 100) {
      throw new BeachException(ErrorCode.BAD_REQUEST, "gateway.headerTimeoutMs and gateway.idleTimeoutMs must be at least 100");
    }
    quotas.validate();
    for (String h : allowedHosts) {
      if (h == null || !HOST_NAME.matcher(h).matches()) {
        throw new BeachException(ErrorCode.BAD_REQUEST, "gateway.allowedHosts entry '" + h + "' must be a host name or"
          + " address without a port, such as beach.example.com or 10.0.0.5");
      }
    }
    for (String o : allowedOrigins) {
      if (o == null || !ORIGIN.matcher(o).matches()) {
        throw new BeachException(ErrorCode.BAD_REQUEST, "gateway.allowedOrigins entry '" + o + "' must be an origin"
          + " such as https://ops.example.com or http://localhost:3000 (scheme, host and port only; no '*')");
      }
    }
    if (adminToken != null) {
      checkToken("gateway.tokens.admin", adminToken);
    }
    // A token names one caller: shared by two realms it would act as whichever the gateway matched first.
    Map<String, String> seen = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : realmTokens.entrySet()) {
      Address.validateRealm(e.getKey());
      checkToken("gateway.tokens.realms." + e.getKey(), e.getValue());
      if (e.getValue().equals(adminToken)) {
        throw new BeachException(ErrorCode.BAD_REQUEST,
          "gateway.tokens.realms." + e.getKey() + " must differ from the admin token");
      }
      String other = seen.putIfAbsent(e.getValue(), e.getKey());
      if (other != null) {
        throw new BeachException(ErrorCode.BAD_REQUEST, "gateway.tokens.realms." + e.getKey()
          + " is the same token as gateway.tokens.realms." + other + ": give each realm its own token");
      }
    }
    return this;
  }

  private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,252})|\\[[0-9A-Fa-f:.]{2,45}]");
  private static final Pattern ORIGIN = Pattern.compile("https?://([A-Za-z0-9][A-Za-z0-9.-]{0,252}|\\[[0-9A-Fa-f:.]{2,45}])(:[0-9]{1,5})?");

  private static void checkToken(String key, String token) {
    if (token == null || token.isBlank() || !token.matches("[\\x21-\\x7e]+")) {
      throw new BeachException(ErrorCode.BAD_REQUEST,
        key + " must be a non-empty token of printable ASCII characters without spaces");
    }
  }

  /** Whether any token is configured; without one the gateway is open and may only bind to loopback. */
  public boolean hasTokens() {
    return adminToken != null || !realmTokens.isEmpty();
  }

  public boolean isEnabled() {
    return enabled;
  }

  public GatewayOptions setEnabled(boolean enabled) {
    this.enabled = enabled;
    return this;
  }

  public String getHost() {
    return host;
  }

  public GatewayOptions setHost(String host) {
    this.host = host;
    return this;
  }

  public int getPort() {
    return port;
  }

  public GatewayOptions setPort(int port) {
    this.port = port;
    return this;
  }

  public String getTlsKeyPath() {
    return tls.getKeyPath();
  }

  public GatewayOptions setTlsKeyPath(String tlsKeyPath) {
    tls.setKeyPath(tlsKeyPath);
    return this;
  }

  public String getTlsCertPath() {
    return tls.getCertPath();
  }

  public GatewayOptions setTlsCertPath(String tlsCertPath) {
    tls.setCertPath(tlsCertPath);
    return this;
  }

  public String getAdminToken() {
    return adminToken;
  }

  public GatewayOptions setAdminToken(String adminToken) {
    this.adminToken = adminToken;
    return this;
  }

  /** Realm name → token allowed to read, dispatch, deploy and stop in that realm. */
  public Map<String, String> getRealmTokens() {
    return Collections.unmodifiableMap(realmTokens);
  }

  public GatewayOptions setRealmTokens(Map<String, String> realmTokens) {
    this.realmTokens = new LinkedHashMap<>(realmTokens);
    return this;
  }

  public GatewayOptions putRealmToken(String realm, String token) {
    this.realmTokens.put(realm, token);
    return this;
  }

  public long getMaxBodyBytes() {
    return maxBodyBytes;
  }

  public GatewayOptions setMaxBodyBytes(long maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
    return this;
  }

  public long getMaxCodeBytes() {
    return maxCodeBytes;
  }

  public GatewayOptions setMaxCodeBytes(long maxCodeBytes) {
    this.maxCodeBytes = maxCodeBytes;
    return this;
  }

  public long getSseHeartbeatMs() {
    return sseHeartbeatMs;
  }

  public GatewayOptions setSseHeartbeatMs(long sseHeartbeatMs) {
    this.sseHeartbeatMs = sseHeartbeatMs;
    return this;
  }

  /**
   * Host names the gateway answers besides localhost names and loopback addresses (which a gateway on a loopback
   * address always accepts). A gateway on a loopback address refuses every other {@code Host}, which defeats
   * DNS rebinding; a gateway on another address checks {@code Host} only when this list is not empty.
   */
  public List<String> getAllowedHosts() {
    return Collections.unmodifiableList(allowedHosts);
  }

  public GatewayOptions setAllowedHosts(List<String> allowedHosts) {
    this.allowedHosts = new ArrayList<>(allowedHosts);
    return this;
  }

  /**
   * Origins ({@code https://ops.example.com}) whose pages may call the API across origins: they get CORS answers
   * and may change state. Empty by default: a page from any other origin cannot deploy, dispatch, push, flush or
   * shut down, and cannot read answers.
   */
  public List<String> getAllowedOrigins() {
    return Collections.unmodifiableList(allowedOrigins);
  }

  public GatewayOptions setAllowedOrigins(List<String> allowedOrigins) {
    this.allowedOrigins = new ArrayList<>(allowedOrigins);
    return this;
  }

  public long getHeaderTimeoutMs() {
    return headerTimeoutMs;
  }

  public GatewayOptions setHeaderTimeoutMs(long headerTimeoutMs) {
    this.headerTimeoutMs = headerTimeoutMs;
    return this;
  }

  public long getIdleTimeoutMs() {
    return idleTimeoutMs;
  }

  public GatewayOptions setIdleTimeoutMs(long idleTimeoutMs) {
    this.idleTimeoutMs = idleTimeoutMs;
    return this;
  }

  /** What one caller may hold through the gateway. */
  public QuotaOptions getQuotas() {
    return quotas;
  }

  public GatewayOptions setQuotas(QuotaOptions quotas) {
    this.quotas = new QuotaOptions(quotas);
    return this;
  }

  /** The JSON form with every token replaced by {@code <PRIVATE>}, for logs and status pages. */
  public JsonObject toMaskedJson() {
    JsonObject json = toJson();
    JsonObject tokens = json.getJsonObject("tokens");
    if (tokens != null) {
      if (tokens.containsKey("admin")) {
        tokens.put("admin", "<PRIVATE>");
      }
      JsonObject realms = tokens.getJsonObject("realms");
      if (realms != null) {
        realms.fieldNames().forEach(r -> realms.put(r, "<PRIVATE>"));
      }
    }
    return json;
  }

  @Override
  public String toString() {
    return toMaskedJson().encode();
  }
}
