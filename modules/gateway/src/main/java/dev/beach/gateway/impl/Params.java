package dev.beach.gateway.impl;

import dev.beach.Address;
import io.vertx.ext.web.RoutingContext;

import java.util.List;

/** Path and query parameters, validated with messages that quote the rule. */
public final class Params {

  private Params() {
  }

  public static String realm(RoutingContext ctx) {
    return Address.validateRealm(ctx.pathParam("realm"));
  }

  public static String category(RoutingContext ctx) {
    return Address.validateCategory(ctx.pathParam("category"));
  }

  /** A query parameter given at most once; null when absent. */
  public static String query(RoutingContext ctx, String name) {
    if (ctx.request().query() == null) {
      return null; // most dispatches have no query: skip decoding an empty one for each parameter looked up
    }
    List<String> all = ctx.queryParam(name);
    if (all.isEmpty()) {
      return null;
    }
    if (all.size() > 1) {
      throw HttpErrors.bad("query parameter '" + name + "' given " + all.size() + " times; give it once");
    }
    return all.get(0);
  }

  /** The optional {@code ?category=} filter, validated. */
  public static String categoryFilter(RoutingContext ctx) {
    String category = query(ctx, "category");
    return category == null || category.isEmpty() ? null : Address.validateCategory(category);
  }

  /** An integer query parameter within [min, max]; {@code def} when absent. */
  public static long longParam(RoutingContext ctx, String name, long def, long min, long max) {
    String text = query(ctx, name);
    if (text == null || text.isEmpty()) {
      return def;
    }
    long value;
    try {
      value = Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      throw HttpErrors.bad("query parameter '" + name + "' must be an integer between " + min + " and " + max
        + ", not '" + Bodies.abbreviate(text) + "'");
    }
    if (value < min || value > max) {
      throw HttpErrors.bad("query parameter '" + name + "' must be between " + min + " and " + max + ", not " + value);
    }
    return value;
  }

  /** {@code true}/{@code false}/absent (= {@code def}); anything else is 400. */
  public static boolean bool(RoutingContext ctx, String name, boolean def) {
    String text = query(ctx, name);
    if (text == null) {
      return def;
    }
    switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "true":
      case "1":
      case "yes":
      case "":
        return true;
      case "false":
      case "0":
      case "no":
        return false;
      default:
        throw HttpErrors.bad("query parameter '" + name + "' must be true or false, not '" + Bodies.abbreviate(text) + "'");
    }
  }
}
