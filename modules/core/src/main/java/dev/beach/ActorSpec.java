package dev.beach;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What to deploy: a class from a realm, the categories its actors join, how many, where, and with which
 * parameters. Round-trips JSON (the HTTP body of {@code POST /v1/realms/{realm}/actors} plus {@code realm}).
 */
public class ActorSpec {

  public static final int DEFAULT_INSTANCES = 1;
  public static final int DEFAULT_CONCURRENCY = 1;
  public static final int DEFAULT_MAILBOX_SIZE = 1024;
  public static final int MAX_INSTANCES = 100_000;
  public static final int MAX_CONCURRENCY = 10_000;
  /** Every field the JSON form reads, aliases ({@code className}, {@code category}, {@code placement}) included. */
  public static final java.util.Set<String> JSON_FIELDS = java.util.Collections.unmodifiableSet(new java.util.TreeSet<>(
    List.of("realm", "class", "className", "categories", "category", "instances", "concurrency", "mailboxSize", "strategy",
      "placement", "hint", "params")));

  private String realm = Address.DEFAULT_REALM;
  private String className;
  private List<String> categories = new ArrayList<>();
  private int instances = DEFAULT_INSTANCES;
  /** Whether a count was given: {@code spread} without one puts one actor on every node. */
  private boolean instancesSet;
  private Placement placement = Placement.random();
  private JsonObject params = new JsonObject();
  private int concurrency = DEFAULT_CONCURRENCY;
  private int mailboxSize = DEFAULT_MAILBOX_SIZE;

  public ActorSpec() {
  }

  public ActorSpec(ActorSpec other) {
    this.realm = other.realm;
    this.className = other.className;
    this.categories = new ArrayList<>(other.categories);
    this.instances = other.instances;
    this.instancesSet = other.instancesSet;
    this.placement = other.placement;
    this.params = other.params.copy();
    this.concurrency = other.concurrency;
    this.mailboxSize = other.mailboxSize;
  }

  /**
   * Reads the JSON form. Wrong types fail with {@link ErrorCode#BAD_REQUEST} naming the field; names are
   * checked by {@link #validate()}.
   */
  public ActorSpec(JsonObject json) {
    try {
      if (json.containsKey("realm")) {
        realm = json.getString("realm");
      }
      className = json.getString("class", json.getString("className"));
      Object cats = json.getValue("categories", json.getValue("category"));
      if (cats instanceof String) {
        categories.add((String) cats);
      } else if (cats instanceof JsonArray) {
        for (Object c : (JsonArray) cats) {
          if (!(c instanceof String)) {
            throw new BeachException(ErrorCode.BAD_REQUEST, "'categories' must be a list of strings");
          }
          categories.add((String) c);
        }
      } else if (cats != null) {
        throw new BeachException(ErrorCode.BAD_REQUEST, "'categories' must be a string or a list of strings");
      }
      instances = intField(json, "instances", DEFAULT_INSTANCES);
      instancesSet = json.getValue("instances") != null;
      concurrency = intField(json, "concurrency", DEFAULT_CONCURRENCY);
      mailboxSize = intField(json, "mailboxSize", DEFAULT_MAILBOX_SIZE);
      Object strategy = json.getValue("strategy", json.getValue("placement"));
      Object hint = json.getValue("hint");
      if (strategy != null && !(strategy instanceof String) || hint != null && !(hint instanceof String)) {
        throw new BeachException(ErrorCode.BAD_REQUEST, "'strategy' and 'hint' must be strings: " + Placement.RULE);
      }
      placement = Placement.parse((String) strategy, (String) hint);
      Object p = json.getValue("params");
      if (p instanceof JsonObject) {
        params = ((JsonObject) p).copy();
      } else if (p != null) {
        throw new BeachException(ErrorCode.BAD_REQUEST, "'params' must be a JSON object");
      }
    } catch (ClassCastException e) {
      throw new BeachException(ErrorCode.BAD_REQUEST, "actor spec has a field of the wrong type: " + e.getMessage());
    }
  }

  private static int intField(JsonObject json, String key, int def) {
    Object v = json.getValue(key);
    if (v == null) {
      return def;
    }
    if (!(v instanceof Number) || ((Number) v).doubleValue() != ((Number) v).intValue()) {
      throw new BeachException(ErrorCode.BAD_REQUEST, "'" + key + "' must be an integer");
    }
    return ((Number) v).intValue();
  }

  /** Checks every name and bound; fails with {@link ErrorCode#BAD_REQUEST} saying what to fix. */
  public ActorSpec validate() {
    Address.validateRealm(realm);
    if (className == null || className.isBlank() || !className.matches("[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*)*")) {
      throw new BeachException(ErrorCode.BAD_REQUEST,
        "invalid class '" + className + "': must be a Java class name such as com.example.Echo or Echo");
    }
    if (categories.isEmpty()) {
      throw new BeachException(ErrorCode.BAD_REQUEST, "an actor needs at least one category (" + Address.CATEGORY_RULE + ")");
    }
    categories.forEach(Address::validateCategory);
    if (instances < 1 || instances > MAX_INSTANCES) {
      throw new BeachException(ErrorCode.BAD_REQUEST, "'instances' must be between 1 and " + MAX_INSTANCES);
    }
    if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
      throw new BeachException(ErrorCode.BAD_REQUEST, "'concurrency' must be between 1 and " + MAX_CONCURRENCY);
    }
    if (mailboxSize < 1) {
      throw new BeachException(ErrorCode.BAD_REQUEST, "'mailboxSize' must be at least 1");
    }
    return this;
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
      .put("realm", realm)
      .put("class", className)
      .put("categories", new JsonArray(new ArrayList<>(categories)))
      .put("concurrency", concurrency)
      .put("mailboxSize", mailboxSize)
      .put("params", params.copy());
    if (instancesSet) {
      json.put("instances", instances);
    }
    return json.mergeIn(placement.toJson());
  }

  public String getRealm() {
    return realm;
  }

  public ActorSpec setRealm(String realm) {
    this.realm = realm;
    return this;
  }

  public String getClassName() {
    return className;
  }

  public ActorSpec setClassName(String className) {
    this.className = className;
    return this;
  }

  public List<String> getCategories() {
    return categories;
  }

  public ActorSpec setCategories(List<String> categories) {
    this.categories = new ArrayList<>(categories);
    return this;
  }

  public ActorSpec addCategory(String category) {
    this.categories.add(category);
    return this;
  }

  public int getInstances() {
    return instances;
  }

  public ActorSpec setInstances(int instances) {
    this.instances = instances;
    this.instancesSet = true;
    return this;
  }

  /**
   * Whether a count was given ({@link #setInstances} or {@code instances} in the JSON form): {@code spread} spreads
   * that many evenly over the nodes, and puts one on every node without one. Other strategies start 1 without one.
   */
  public boolean isInstancesSet() {
    return instancesSet;
  }

  public Placement getPlacement() {
    return placement;
  }

  public ActorSpec setPlacement(Placement placement) {
    this.placement = Objects.requireNonNull(placement);
    return this;
  }

  public JsonObject getParams() {
    return params;
  }

  public ActorSpec setParams(JsonObject params) {
    this.params = params == null ? new JsonObject() : params;
    return this;
  }

  public int getConcurrency() {
    return concurrency;
  }

  public ActorSpec setConcurrency(int concurrency) {
    this.concurrency = concurrency;
    return this;
  }

  public int getMailboxSize() {
    return mailboxSize;
  }

  public ActorSpec setMailboxSize(int mailboxSize) {
    this.mailboxSize = mailboxSize;
    return this;
  }

  /** A spec for {@code className} in {@code realm} joining {@code categories}. */
  public static ActorSpec of(String realm, String className, String... categories) {
    return new ActorSpec().setRealm(realm).setClassName(className).setCategories(List.of(categories));
  }

  public static ActorSpec of(String realm, Class<? extends Actor> type, String... categories) {
    return of(realm, type.getName(), categories);
  }

  @Override
  public String toString() {
    return toJson().encode();
  }
}
