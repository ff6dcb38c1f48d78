package dev.beach;

import java.util.ArrayList;
import java.util.List;

/**
 * The one owner of Beach's name rules and event-bus address grammar (DESIGN.md "Names", "Addresses").
 * <p>
 * No other code builds or parses address strings. Every name that enters Beach (API, HTTP, YAML) goes
 * through one of the {@code validate*} methods, which fail with {@link ErrorCode#BAD_REQUEST} and a
 * message quoting the rule, so the caller knows what to fix.
 *
 * <pre>
 *   beach.&lt;realm&gt;.&lt;category&gt;   any actor of the category (and its sub-categories)
 *   beach.&lt;realm&gt;.@&lt;actorId&gt;    one actor
 *   beach._node.&lt;nodeId&gt;          a node: control plane and routed actor traffic
 *   beach._node.&lt;nodeId&gt;.&lt;lane&gt;   a node's event-loop lane: actor traffic for actors on that loop
 *   beach._events                 cluster events, published
 *   beach._stats                  node statistics, published about once a second
 *   beach._code                   realm code pushed (a notice; the bytes are in the map "beach.code")
 * </pre>
 */
public final class Address {

  public static final String REALM_RULE = "[a-z0-9][a-z0-9_-]{0,62}";
  public static final String CATEGORY_RULE = "dot-separated segments of [a-z0-9_-]+ (e.g. analytics.ingest)";
  public static final String OP_RULE = "[A-Za-z0-9_.-]+ (at most 128 characters)";
  public static final String ACTOR_ID_RULE = "[A-Za-z0-9_-]{1,64}";
  public static final String NODE_ID_RULE = "[A-Za-z0-9_-]{1,64}";

  /** The realm used when none is named. */
  public static final String DEFAULT_REALM = "global";

  private static final String PREFIX = "beach.";
  /** Published cluster events: actor started/stopped/failed, node joined/left, job progress. */
  public static final String EVENTS = PREFIX + "_events";
  /** Published node statistics (cpu, heap, actors, directory version), about once a second per node. */
  public static final String STATS = PREFIX + "_stats";
  private static final String NODE_PREFIX = PREFIX + "_node.";
  /** Published when realm code is pushed, so every node copies it into its code directory. */
  public static final String CODE_NOTICES = PREFIX + "_code";
  /** Name of the cluster-wide map holding pushed realm code. */
  public static final String CODE_MAP = PREFIX + "code";
  /** Name of the cluster-wide map holding the deployments (desired state), as JSON text by name. */
  public static final String DEPLOYMENTS_MAP = PREFIX + "deployments";
  /** Name of the cluster-wide map holding each deployment's status as the reconciling leader last computed it. */
  public static final String DEPLOYMENT_STATUS_MAP = PREFIX + "deployments.status";

  private static final int MAX_CATEGORY_LENGTH = 255;
  private static final int MAX_OP_LENGTH = 128;
  private static final int MAX_ID_LENGTH = 64;
  private static final int MAX_REALM_LENGTH = 63;
  // The rules above as character classes. Every request is checked (realm, category, op), so the checks are loops
  // over a table, not regular expressions; AddressTest holds them to the rules' regular expressions.
  /** [a-z0-9_-]: realms (after the first character) and category segments. */
  private static final boolean[] LOWER = charClass("abcdefghijklmnopqrstuvwxyz0123456789_-");
  /** [A-Za-z0-9_-]: actor and node ids. */
  private static final boolean[] ID = charClass("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-");
  /** [A-Za-z0-9_.-]: ops. */
  private static final boolean[] OP = charClass("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-");

  private Address() {
  }

  /** {@code beach.<realm>.<category>}: the address a node serves for each category prefix it hosts. */
  public static String category(String realm, String category) {
    return PREFIX + validateRealm(realm) + "." + validateCategory(category);
  }

  /** {@code beach.<realm>.@<actorId>}: one actor, a local consumer on its hosting node. */
  public static String actor(String realm, String actorId) {
    return PREFIX + validateRealm(realm) + ".@" + validateActorId(actorId);
  }

  /** {@code beach._node.<nodeId>}: a node's control plane and its routed actor traffic. */
  public static String node(String nodeId) {
    if (!isId(nodeId)) {
      throw invalid("node id", nodeId, NODE_ID_RULE);
    }
    return NODE_PREFIX + nodeId;
  }

  /**
   * {@code beach._node.<nodeId>.<lane>}: one of a node's event-loop lanes. Actor traffic sent here is handled
   * on that lane's event loop, the one its actor runs on, with no hand-off between threads.
   */
  public static String nodeLane(String nodeId, int lane) {
    if (lane < 0) {
      throw new BeachException(ErrorCode.BAD_REQUEST, "lane must be 0 or more, not " + lane);
    }
    return node(nodeId) + "." + lane;
  }

  /** Whether {@code address} is any Beach address, so hooks (metrics, bridges) can tell ours from others. */
  public static boolean isBeach(String address) {
    return address != null && address.startsWith(PREFIX);
  }

  /**
   * Metrics label for an address: realm and category only, never an actor or node id, so 100k actors
   * do not become 100k time series.
   */
  public static String metricsLabel(String address) {
    if (!isBeach(address)) {
      return address;
    }
    if (address.startsWith(NODE_PREFIX)) {
      return NODE_PREFIX + "*";
    }
    int at = address.indexOf(".@");
    return at < 0 ? address : address.substring(0, at) + ".@*";
  }

  // ---------------------------------------------------------------- validation

  public static String validateRealm(String realm) {
    if (realm == null || realm.isEmpty() || realm.length() > MAX_REALM_LENGTH || realm.charAt(0) == '_'
      || realm.charAt(0) == '-' || !all(realm, 0, realm.length(), LOWER)) {
      throw invalid("realm", realm, REALM_RULE);
    }
    return realm;
  }

  public static String validateCategory(String category) {
    if (category == null || category.isEmpty() || category.length() > MAX_CATEGORY_LENGTH) {
      throw invalid("category", category, CATEGORY_RULE + ", at most " + MAX_CATEGORY_LENGTH + " characters");
    }
    int start = 0;
    while (true) {
      int dot = category.indexOf('.', start);
      int end = dot < 0 ? category.length() : dot;
      if (end == start || !all(category, start, end, LOWER)) {
        throw invalid("category", category, CATEGORY_RULE);
      }
      if (dot < 0) {
        return category;
      }
      start = dot + 1;
    }
  }

  public static String validateOp(String op) {
    if (op == null || op.isEmpty() || op.length() > MAX_OP_LENGTH || !all(op, 0, op.length(), OP)) {
      throw invalid("op", op, OP_RULE);
    }
    return op;
  }

  public static String validateActorId(String actorId) {
    if (!isId(actorId)) {
      throw invalid("actor id", actorId, ACTOR_ID_RULE);
    }
    return actorId;
  }

  /** [A-Za-z0-9_-]{1,64}: {@link #ACTOR_ID_RULE} and {@link #NODE_ID_RULE}. */
  private static boolean isId(String id) {
    return id != null && !id.isEmpty() && id.length() <= MAX_ID_LENGTH && all(id, 0, id.length(), ID);
  }

  private static boolean all(String s, int from, int to, boolean[] allowed) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c >= allowed.length || !allowed[c]) {
        return false;
      }
    }
    return true;
  }

  private static boolean[] charClass(String chars) {
    boolean[] table = new boolean[128];
    for (char c : chars.toCharArray()) {
      table[c] = true;
    }
    return table;
  }

  // ---------------------------------------------------------------- category reach

  /**
   * Whether a handle on {@code handleCategory} reaches an actor of {@code actorCategory}: equal, or a
   * segment prefix ({@code analytics} reaches {@code analytics.ingest}, not {@code analyticsx}).
   */
  public static boolean reaches(String handleCategory, String actorCategory) {
    return actorCategory.equals(handleCategory)
      || (actorCategory.length() > handleCategory.length()
      && actorCategory.startsWith(handleCategory)
      && actorCategory.charAt(handleCategory.length()) == '.');
  }

  /** {@code a.b.c} → {@code [a, a.b, a.b.c]}: every category a handle may name to reach this one. */
  public static List<String> prefixes(String category) {
    List<String> out = new ArrayList<>(4);
    int dot = -1;
    while ((dot = category.indexOf('.', dot + 1)) >= 0) {
      out.add(category.substring(0, dot));
    }
    out.add(category);
    return out;
  }

  /** The first-level sub-category of {@code root} that {@code category} sits in (py-beach handle groups). */
  public static String childOf(String root, String category) {
    if (!reaches(root, category) || category.equals(root)) {
      return null;
    }
    int end = category.indexOf('.', root.length() + 1);
    return end < 0 ? category : category.substring(0, end);
  }

  private static BeachException invalid(String what, String value, String rule) {
    return new BeachException(ErrorCode.BAD_REQUEST,
      "invalid " + what + " " + (value == null ? "(missing)" : "'" + abbreviate(value) + "'") + ": must match " + rule);
  }

  private static String abbreviate(String value) {
    return value.length() <= 80 ? value : value.substring(0, 77) + "...";
  }
}
