package dev.beach;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Desired state: a named, declarative record of actors the cluster keeps running (py-beach's Patrol, done
 * right). Either {@code instances} actors in the whole cluster, or {@code perNode} on every node the
 * placement's node selector matches (nodes that join later included). Held by the cluster itself (a replicated
 * map, persisted under {@code node.dataDir}) and reconciled by one leader: missing actors are placed, extras
 * stopped, actors of a dead node re-placed, crashing actors restarted with backoff up to a limit.
 * <p>
 * JSON form (the body of {@code PUT /v1/deployments/{name}}): {@code {name, realm, class, categories,
 * instances | perNode, strategy, hint, params, concurrency, mailboxSize, restart, backoff: {initialMs, maxMs},
 * maxRestarts, windowMs, restartRevision}}. {@code restartRevision} is what a rollout restart bumps
 * ({@code Beach.restartDeployment}): it is part of what the actors run, so a new one rolls them; applying keeps the
 * stored one unless the applied deployment names a higher one. Parameters whose key starts with {@code _} are private: kept in the record (the
 * actors need them) but never shown by {@link #toJson(boolean) toJson(false)}, which every listing uses.
 */
public class Deployment {

  /** What happens to an instance whose actor stops without being asked. */
  public enum Restart {
    /** Always replaced: after a failure or a clean exit (with backoff), after a stop by hand or a node's death (at once). */
    ALWAYS("always"),
    /** Replaced after a failure (with backoff) or its node's death (at once); not after a clean exit or a stop by hand. */
    ON_FAILURE("on-failure"),
    /** Placed once; never replaced. */
    NEVER("never");

    private final String text;

    Restart(String text) {
      this.text = text;
    }

    public String text() {
      return text;
    }

    public static Restart parse(String text) {
      for (Restart r : values()) {
        if (r.text.equals(text == null ? null : text.trim().toLowerCase(Locale.ROOT).replace('_', '-'))) {
          return r;
        }
      }
      throw new BeachException(ErrorCode.BAD_REQUEST, "'restart' must be always | on-failure | never, not '" + text + "'");
    }
  }

  public static final String NAME_RULE = Address.REALM_RULE;
  public static final Restart DEFAULT_RESTART = Restart.ALWAYS;
  public static final long DEFAULT_BACKOFF_INITIAL_MS = 200;
  public static final long DEFAULT_BACKOFF_MAX_MS = 30_000;
  public static final int DEFAULT_MAX_RESTARTS = 5;
  public static final long DEFAULT_WINDOW_MS = 60_000;
  /** The most actors one node may be asked to keep for one per-node deployment. */
  public static final int MAX_PER_NODE = 10_000;

  private static final Set<String> KEYS = Set.of("name", "realm", "class", "className", "categories", "category",
    "instances", "perNode", "strategy", "placement", "hint", "params", "concurrency", "mailboxSize", "mailbox",
    "restart", "backoff", "maxRestarts", "windowMs", "restartRevision");
  /** Every key the JSON form accepts (aliases included): what a {@code deploy:} entry of cluster.yaml may hold. */
  public static final Set<String> JSON_KEYS = KEYS;

  private String name;
  private String realm = Address.DEFAULT_REALM;
  private String className;
  private List<String> categories = new ArrayList<>();
  private Integer instances;
  private Integer perNode;
  private Placement placement = Placement.random();
  private JsonObject params = new JsonObject();
  private int concurrency = ActorSpec.DEFAULT_CONCURRENCY;
  private int mailboxSize = ActorSpec.DEFAULT_MAILBOX_SIZE;
  private Restart restart = DEFAULT_RESTART;
  private long backoffInitialMs = DEFAULT_BACKOFF_INITIAL_MS;
  private long backoffMaxMs = DEFAULT_BACKOFF_MAX_MS;
  private int maxRestarts = DEFAULT_MAX_RESTARTS;
  private long windowMs = DEFAULT_WINDOW_MS;
  private long restartRevision;

  public Deployment() {
  }

  public Deployment(Deployment other) {
    this(other.toJson(true));
  }

  /**
   * Reads the JSON form. An unknown key or a wrong type fails with {@link ErrorCode#BAD_REQUEST} naming it;
   * names and bounds are checked by {@link #validate()}.
   */
  public Deployment(JsonObject json) {
    for (String key : json.fieldNames()) {
      if (!KEYS.contains(key)) {
        throw new BeachException(ErrorCode.BAD_REQUEST, "deployment has an unknown key '" + key + "'; known keys: "
          + "name, realm, class, categories, instances | perNode, strategy, hint, params, concurrency, mailboxSize,"
          + " restart, backoff {initialMs, maxMs}, maxRestarts, windowMs, restartRevision");
      }
    }
    name = string(json, "name");
    if (json.containsKey("realm")) {
      realm = string(json, "realm");
    }
    // The actor part reads exactly as POST /v1/realms/{realm}/actors does.
    JsonObject actorPart = json.copy();
    actorPart.remove("name");
    actorPart.remove("perNode");
    actorPart.remove("restart");
    actorPart.remove("backoff");
    actorPart.remove("maxRestarts");
    actorPart.remove("windowMs");
    actorPart.remove("restartRevision");
    Object mailbox = actorPart.remove("mailbox");
    if (mailbox != null && !actorPart.containsKey("mailboxSize")) {
      actorPart.put("mailboxSize", mailbox);
    }
    ActorSpec spec = new ActorSpec(actorPart);
    className = spec.getClassName();
    categories = new ArrayList<>(spec.getCategories());
    placement = spec.getPlacement();
    params = spec.getParams();
    concurrency = spec.getConcurrency();
    mailboxSize = spec.getMailboxSize();
    if (json.getValue("instances") != null) {
      instances = spec.getInstances();
    }
    if (json.getValue("perNode") != null) {
      perNode = (int) number(json, "perNode", 0);
    }
    if (json.getValue("restart") != null) {
      restart = Restart.parse(string(json, "restart"));
    }
    Object backoff = json.getValue("backoff");
    if (backoff instanceof JsonObject) {
      JsonObject b = (JsonObject) backoff;
      for (String key : b.fieldNames()) {
        if (!key.equals("initialMs") && !key.equals("maxMs")) {
          throw new BeachException(ErrorCode.BAD_REQUEST, "'backoff' has an unknown key '" + key + "': use {initialMs, maxMs}");
        }
      }
      backoffInitialMs = number(b, "initialMs", DEFAULT_BACKOFF_INITIAL_MS);
      backoffMaxMs = number(b, "maxMs", DEFAULT_BACKOFF_MAX_MS);
    } else if (backoff != null) {
      throw new BeachException(ErrorCode.BAD_REQUEST, "'backoff' must be an object {initialMs, maxMs}");
    }
    maxRestarts = (int) number(json, "maxRestarts", DEFAULT_MAX_RESTARTS);
    windowMs = number(json, "windowMs", DEFAULT_WINDOW_MS);
    restartRevision = number(json, "restartRevision", 0);
  }

  /**
   * The name a start-up deployment ({@code deploy:} entry of cluster.yaml) gets when it names none:
   * {@code <realm>-<first category>}, lower case, any character a name may not hold as {@code -}, at most 63
   * characters. It depends on nothing else, so editing the entry's class, count or parameters changes that same
   * deployment; two entries of one realm and first category need a {@code name} each.
   */
  public static String derivedName(String realm, List<String> categories) {
    String first = categories == null || categories.isEmpty() ? "actors" : categories.get(0);
    String raw = (realm == null ? Address.DEFAULT_REALM : realm) + "-" + first;
    String name = raw.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "-");
    if (!Character.isLetterOrDigit(name.charAt(0))) {
      name = "d" + name;
    }
    return name.length() > 63 ? name.substring(0, 63) : name;
  }

  private static String string(JsonObject json, String key) {
    Object v = json.getValue(key);
    if (v != null && !(v instanceof String)) {
      throw new BeachException(ErrorCode.BAD_REQUEST, "'" + key + "' must be a string");
    }
    return (String) v;
  }

  private static long number(JsonObject json, String key, long def) {
    Object v = json.getValue(key);
    if (v == null) {
      return def;
    }
    if (!(v instanceof Number) || ((Number) v).doubleValue() != ((Number) v).longValue()) {
      throw new BeachException(ErrorCode.BAD_REQUEST, "'" + key + "' must be an integer");
    }
    return ((Number) v).longValue();
  }

  /** Checks every name, bound and combination; fails with {@link ErrorCode#BAD_REQUEST} saying what to fix. */
  public Deployment validate() {
    if (name == null || !name.matches(NAME_RULE)) {
      throw new BeachException(ErrorCode.BAD_REQUEST, "invalid deployment name '" + name + "': must match " + NAME_RULE);
    }
    if (instances != null && perNode != null) {
      throw new BeachException(ErrorCode.BAD_REQUEST, "deployment " + name
        + " sets both 'instances' and 'perNode': set one (instances: N in the cluster, perNode: k on every matching node)");
    }
    toActorSpec().validate();
    if (instances != null && (instances < 0 || instances > ActorSpec.MAX_INSTANCES)) {
      throw new BeachException(ErrorCode.BAD_REQUEST, "'instances' must be between 0 and " + ActorSpec.MAX_INSTANCES);
    }
    if (perNode != null && (perNode < 0 || perNode > MAX_PER_NODE)) {
      throw new BeachException(ErrorCode.BAD_REQUEST, "'perNode' must be between 0 and " + MAX_PER_NODE);
    }
    if (perNode != null && placement.kind() != Placement.Kind.NODE && placement.kind() != Placement.Kind.RANDOM
      && placement.kind() != Placement.Kind.SPREAD) {
      throw new BeachException(ErrorCode.BAD_REQUEST, "deployment " + name + ": 'perNode' places on every node, so its"
        + " only strategy is node(<id|host|tag>) to choose the nodes, not " + placement);
    }
    if (placement.kind() == Placement.Kind.LOCAL) {
      throw new BeachException(ErrorCode.BAD_REQUEST, "deployment " + name + ": strategy 'local' names no node the"
        + " cluster can keep to once the applying node is gone; use node(id:<node>)");
    }
    if (backoffInitialMs < 1 || backoffMaxMs < backoffInitialMs) {
      throw new BeachException(ErrorCode.BAD_REQUEST, "'backoff' needs 1 ≤ initialMs ≤ maxMs, not initialMs "
        + backoffInitialMs + ", maxMs " + backoffMaxMs);
    }
    if (maxRestarts < 0 || windowMs < 1) {
      throw new BeachException(ErrorCode.BAD_REQUEST, "'maxRestarts' must be ≥ 0 and 'windowMs' ≥ 1");
    }
    if (restartRevision < 0) {
      throw new BeachException(ErrorCode.BAD_REQUEST, "'restartRevision' must be ≥ 0, not " + restartRevision);
    }
    return this;
  }

  /** The full JSON form, private parameters included: what the cluster stores. */
  public JsonObject toJson() {
    return toJson(true);
  }

  /** The JSON form; without {@code withPrivateParams}, parameters whose key starts with {@code _} are left out. */
  public JsonObject toJson(boolean withPrivateParams) {
    JsonObject json = new JsonObject().put("name", name).put("realm", realm).put("class", className)
      .put("categories", new JsonArray(new ArrayList<>(categories)));
    if (perNode != null) {
      json.put("perNode", perNode);
    } else {
      json.put("instances", instances());
    }
    json.mergeIn(placement.toJson());
    JsonObject p = params.copy();
    if (!withPrivateParams) {
      p.fieldNames().removeIf(k -> k.startsWith("_"));
    }
    return json.put("params", p).put("concurrency", concurrency).put("mailboxSize", mailboxSize)
      .put("restart", restart.text())
      .put("backoff", new JsonObject().put("initialMs", backoffInitialMs).put("maxMs", backoffMaxMs))
      .put("maxRestarts", maxRestarts).put("windowMs", windowMs).put("restartRevision", restartRevision);
  }

  /** One actor of this deployment as an {@link ActorSpec} (one instance; placement is the reconciler's). */
  public ActorSpec toActorSpec() {
    return new ActorSpec().setRealm(realm).setClassName(className).setCategories(categories).setPlacement(placement)
      .setParams(params.copy()).setConcurrency(concurrency).setMailboxSize(mailboxSize);
  }

  public static Deployment of(String name, String realm, String className, String... categories) {
    return new Deployment().setName(name).setRealm(realm).setClassName(className).setCategories(List.of(categories));
  }

  public static Deployment of(String name, String realm, Class<? extends Actor> type, String... categories) {
    return of(name, realm, type.getName(), categories);
  }

  public String getName() {
    return name;
  }

  public Deployment setName(String name) {
    this.name = name;
    return this;
  }

  public String getRealm() {
    return realm;
  }

  public Deployment setRealm(String realm) {
    this.realm = realm;
    return this;
  }

  public String getClassName() {
    return className;
  }

  public Deployment setClassName(String className) {
    this.className = className;
    return this;
  }

  public List<String> getCategories() {
    return categories;
  }

  public Deployment setCategories(List<String> categories) {
    this.categories = new ArrayList<>(categories);
    return this;
  }

  /** Whether this deployment keeps {@link #getPerNode()} actors on every matching node rather than N in the cluster. */
  public boolean isPerNode() {
    return perNode != null;
  }

  /** Actors in the whole cluster (1 when neither this nor perNode is set); meaningless when {@link #isPerNode()}. */
  public int instances() {
    return instances == null ? 1 : instances;
  }

  public Integer getInstances() {
    return instances;
  }

  /** N actors in the cluster; clears perNode. */
  public Deployment setInstances(int instances) {
    this.instances = instances;
    this.perNode = null;
    return this;
  }

  public Integer getPerNode() {
    return perNode;
  }

  /** k actors on every node the placement's node selector matches (every node without one); clears instances. */
  public Deployment setPerNode(int perNode) {
    this.perNode = perNode;
    this.instances = null;
    return this;
  }

  public Placement getPlacement() {
    return placement;
  }

  public Deployment setPlacement(Placement placement) {
    this.placement = Objects.requireNonNull(placement);
    return this;
  }

  public JsonObject getParams() {
    return params;
  }

  public Deployment setParams(JsonObject params) {
    this.params = params == null ? new JsonObject() : params;
    return this;
  }

  public int getConcurrency() {
    return concurrency;
  }

  public Deployment setConcurrency(int concurrency) {
    this.concurrency = concurrency;
    return this;
  }

  public int getMailboxSize() {
    return mailboxSize;
  }

  public Deployment setMailboxSize(int mailboxSize) {
    this.mailboxSize = mailboxSize;
    return this;
  }

  public Restart getRestart() {
    return restart;
  }

  public Deployment setRestart(Restart restart) {
    this.restart = Objects.requireNonNull(restart);
    return this;
  }

  public long getBackoffInitialMs() {
    return backoffInitialMs;
  }

  /** The delay before the first restart after a failure; doubled per failure within the window, up to the max. */
  public Deployment setBackoffInitialMs(long backoffInitialMs) {
    this.backoffInitialMs = backoffInitialMs;
    return this;
  }

  public long getBackoffMaxMs() {
    return backoffMaxMs;
  }

  public Deployment setBackoffMaxMs(long backoffMaxMs) {
    this.backoffMaxMs = backoffMaxMs;
    return this;
  }

  public int getMaxRestarts() {
    return maxRestarts;
  }

  /** More restarts than this within {@link #getWindowMs()} and the deployment is {@code failed} (a crash loop). */
  public Deployment setMaxRestarts(int maxRestarts) {
    this.maxRestarts = maxRestarts;
    return this;
  }

  public long getWindowMs() {
    return windowMs;
  }

  public Deployment setWindowMs(long windowMs) {
    this.windowMs = windowMs;
    return this;
  }

  public long getRestartRevision() {
    return restartRevision;
  }

  /** Bumped by a rollout restart; a new value rolls every actor of the deployment onto the realm's current code. */
  public Deployment setRestartRevision(long restartRevision) {
    this.restartRevision = restartRevision;
    return this;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Deployment && ((Deployment) o).toJson().equals(toJson());
  }

  @Override
  public int hashCode() {
    return toJson().hashCode();
  }

  /** The public JSON form: private parameters left out. */
  @Override
  public String toString() {
    return toJson(false).encode();
  }
}
