package dev.beach;

import io.vertx.core.json.JsonObject;

import java.util.Locale;
import java.util.Objects;

/**
 * Where new actors land, decided by the deploying node from the live cluster view (DESIGN.md "Placement").
 * <p>
 * The text form is what HTTP and YAML use: {@code random}, {@code roundrobin}, {@code least-loaded},
 * {@code affinity(<category>)}, {@code repulsion(<category>)}, {@code node(<id|host|tag>)} (also
 * {@code node(id:..)}, {@code node(host:..)}, {@code node(tag:..)}), {@code spread}, {@code local}.
 */
public final class Placement {

  /** The kinds of strategy. */
  public enum Kind {
    /** Any node, uniformly. */
    RANDOM("random"),
    /** Nodes in turn, per deploying node. */
    ROUND_ROBIN("roundrobin"),
    /** The node with the lowest CPU + heap load (py-beach's "resource"). */
    LEAST_LOADED("least-loaded"),
    /** A node already hosting the hint category; any node when none does. */
    AFFINITY("affinity"),
    /** The node hosting the fewest actors of the hint category. */
    REPULSION("repulsion"),
    /** Exactly the nodes matching the selector (id, host or tag); 503 when none matches. */
    NODE("node"),
    /** The instances spread evenly over the nodes (the remainder on the least busy); one per node without a count. */
    SPREAD("spread"),
    /** The deploying node. */
    LOCAL("local");

    private final String text;

    Kind(String text) {
      this.text = text;
    }

    public String text() {
      return text;
    }
  }

  public static final String RULE = "random | roundrobin | least-loaded | affinity(<category>) | repulsion(<category>)"
    + " | node(<id|host|tag>) | node(id:<id>) | node(host:<host>) | node(tag:<tag>) | spread | local";

  private static final Placement RANDOM = new Placement(Kind.RANDOM, null);

  private final Kind kind;
  private final String hint;

  private Placement(Kind kind, String hint) {
    this.kind = kind;
    this.hint = hint;
  }

  public static Placement random() {
    return RANDOM;
  }

  public static Placement roundRobin() {
    return new Placement(Kind.ROUND_ROBIN, null);
  }

  public static Placement leastLoaded() {
    return new Placement(Kind.LEAST_LOADED, null);
  }

  public static Placement affinity(String category) {
    return new Placement(Kind.AFFINITY, Address.validateCategory(category));
  }

  public static Placement repulsion(String category) {
    return new Placement(Kind.REPULSION, Address.validateCategory(category));
  }

  /** Hard placement on a node matched by id, host or tag (in that order). */
  public static Placement node(String selector) {
    if (selector == null || selector.isBlank()) {
      throw new BeachException(ErrorCode.BAD_REQUEST, "node placement needs a selector: " + RULE);
    }
    return new Placement(Kind.NODE, selector.trim());
  }

  public static Placement nodeId(String id) {
    return node("id:" + id);
  }

  public static Placement host(String host) {
    return node("host:" + host);
  }

  public static Placement tag(String tag) {
    return node("tag:" + tag);
  }

  public static Placement spread() {
    return new Placement(Kind.SPREAD, null);
  }

  public static Placement local() {
    return new Placement(Kind.LOCAL, null);
  }

  public Kind kind() {
    return kind;
  }

  /** The category (affinity, repulsion) or node selector (node); null for the others. */
  public String hint() {
    return hint;
  }

  /**
   * Parses the text form, or a strategy name plus a separate hint (the HTTP body's {@code strategy}
   * and {@code hint}); a null or empty strategy is {@link #random()}.
   */
  public static Placement parse(String strategy, String hint) {
    if (strategy == null || strategy.isBlank()) {
      return RANDOM;
    }
    String s = strategy.trim();
    int open = s.indexOf('(');
    if (open > 0) {
      if (!s.endsWith(")")) {
        throw bad(strategy);
      }
      hint = s.substring(open + 1, s.length() - 1).trim();
      s = s.substring(0, open).trim();
    }
    switch (s.toLowerCase(Locale.ROOT)) {
      case "random":
        return RANDOM;
      case "roundrobin":
      case "round-robin":
        return roundRobin();
      case "least-loaded":
      case "leastloaded":
      case "resource":
        return leastLoaded();
      case "affinity":
        return affinity(requireHint(strategy, hint));
      case "repulsion":
        return repulsion(requireHint(strategy, hint));
      case "node":
      case "host_affinity":
        return node(requireHint(strategy, hint));
      case "spread":
        return spread();
      case "local":
        return local();
      default:
        throw bad(strategy);
    }
  }

  public static Placement parse(String text) {
    return parse(text, null);
  }

  private static String requireHint(String strategy, String hint) {
    if (hint == null || hint.isBlank()) {
      throw new BeachException(ErrorCode.BAD_REQUEST,
        "placement '" + strategy + "' needs an argument, e.g. " + strategy.replaceAll("\\(.*", "") + "(x): " + RULE);
    }
    return hint;
  }

  private static BeachException bad(String strategy) {
    return new BeachException(ErrorCode.BAD_REQUEST, "unknown placement '" + strategy + "': must be one of " + RULE);
  }

  /** Text form, parseable by {@link #parse(String)}. */
  @Override
  public String toString() {
    return hint == null ? kind.text() : kind.text() + "(" + hint + ")";
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("strategy", kind.text());
    return hint == null ? json : json.put("hint", hint);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Placement && ((Placement) o).kind == kind && Objects.equals(((Placement) o).hint, hint);
  }

  @Override
  public int hashCode() {
    return kind.hashCode() * 31 + Objects.hashCode(hint);
  }
}
