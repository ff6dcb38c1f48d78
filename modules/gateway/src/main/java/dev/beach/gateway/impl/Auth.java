package dev.beach.gateway.impl;

import dev.beach.BeachException;
import dev.beach.ErrorCode;
import dev.beach.gateway.GatewayOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Bearer-token checks. Tokens are compared in constant time, so response timing does not leak how much of a
 * guessed token was right. Failures are 401 (no or unknown token) and 403 (a valid token out of its scope).
 */
public final class Auth {

  static final String PRINCIPAL_KEY = "beach.principal";

  private final byte[] admin;
  private final Map<byte[], String> realms = new LinkedHashMap<>();
  private final boolean open;

  public Auth(GatewayOptions options) {
    this.admin = options.getAdminToken() == null ? null : bytes(options.getAdminToken());
    options.getRealmTokens().forEach((realm, token) -> realms.put(bytes(token), realm));
    this.open = !options.hasTokens();
  }

  public boolean open() {
    return open;
  }

  /** The caller of {@code ctx} as established by {@link #check}; {@link Principal#ANONYMOUS} when no check ran. */
  public static Principal principal(RoutingContext ctx) {
    Principal p = ctx.get(PRINCIPAL_KEY);
    return p == null ? Principal.ANONYMOUS : p;
  }

  /**
   * Establishes the caller for a route of {@code access}; {@code realm} is the path's realm for
   * {@link Access#REALM} routes (checked by the route when it is not in the path).
   */
  public void check(RoutingContext ctx, Access access, String realm) {
    if (open) {
      ctx.put(PRINCIPAL_KEY, Principal.OPEN);
      return;
    }
    if (access == Access.PUBLIC) {
      Principal p = principalOrNull(ctx);
      ctx.put(PRINCIPAL_KEY, p == null ? Principal.ANONYMOUS : p);
      return;
    }
    Principal p = principalOrNull(ctx);
    if (p == null) {
      String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
      throw new BeachException(ErrorCode.UNAUTHORIZED, header == null
        ? "this gateway needs a token: send Authorization: Bearer <token> (beach --token, BEACH_TOKEN)"
        : "the bearer token is not valid for this gateway");
    }
    ctx.put(PRINCIPAL_KEY, p);
    switch (access) {
      case ADMIN:
        if (!p.admin()) {
          throw new BeachException(ErrorCode.FORBIDDEN, "this needs the admin token; a realm token is not enough");
        }
        break;
      case REALM:
        if (realm != null && !p.mayUse(realm)) {
          throw forbidden(p, realm);
        }
        break;
      default:
        break;
    }
  }

  static BeachException forbidden(Principal p, String realm) {
    return new BeachException(ErrorCode.FORBIDDEN,
      "the token of realm '" + p.realm() + "' may not act in realm '" + realm + "'");
  }

  private Principal principalOrNull(RoutingContext ctx) {
    String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null || header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    byte[] given = bytes(header.substring(7).trim());
    Principal found = null;
    // Compare against every token, never stopping early, so timing says nothing about which one matched.
    if (admin != null && MessageDigest.isEqual(admin, given)) {
      found = Principal.ADMIN;
    }
    for (Map.Entry<byte[], String> e : realms.entrySet()) {
      if (MessageDigest.isEqual(e.getKey(), given) && found == null) {
        found = Principal.realm(e.getValue());
      }
    }
    return found;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
