package dev.beach.gateway.impl;

import dev.beach.gateway.GatewayOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which {@code Host} names the gateway answers and which {@code Origin}s may change state.
 * <p>
 * DNS rebinding: a page on {@code evil.example} re-points its name at 127.0.0.1 and becomes same-origin with a
 * gateway on loopback, which, without tokens, trusts every caller. The browser still sends
 * {@code Host: evil.example}, so a loopback gateway answers only localhost names ({@code localhost},
 * {@code *.localhost}), loopback addresses and {@code gateway.allowedHosts}. A gateway on another address needs
 * tokens, which a rebinding page does not have; it checks {@code Host} only when {@code allowedHosts} is set.
 * <p>
 * Cross-site requests: browsers send {@code Origin} with every request that is not a GET or HEAD. One that
 * changes state is refused unless its origin is this gateway's own or listed in {@code gateway.allowedOrigins};
 * a listed origin also gets CORS answers (preflights, {@code Access-Control-Allow-Origin}). GETs are left to the
 * browser, which lets no other origin read an answer that carries no CORS header.
 */
final class HostPolicy {

  private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_.-]{0,252})");
  private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);
  private static final CharSequence SEC_FETCH_SITE = HttpHeaders.createOptimized("Sec-Fetch-Site");
  static final String ALLOWED_METHODS = "GET, HEAD, POST, PUT, DELETE";
  static final String ALLOWED_HEADERS = "Authorization, Content-Type";
  static final String EXPOSED_HEADERS = "X-Total-Count, X-Missing-Nodes, WWW-Authenticate, Allow";

  private final boolean loopback;
  private final Set<String> allowedHosts = new HashSet<>();
  private final Set<String> allowedOrigins = new HashSet<>();
  /** The last Host header checked and its verdict ({@link #check}); the policy lives on one gateway thread. */
  private String lastHost;
  private String lastVerdict;

  HostPolicy(GatewayOptions options, boolean loopback) {
    this.loopback = loopback;
    options.getAllowedHosts().forEach(h -> allowedHosts.add(h.toLowerCase(Locale.ROOT)));
    options.getAllowedOrigins().forEach(o -> allowedOrigins.add(o.toLowerCase(Locale.ROOT)));
  }

  /** Null when the gateway answers {@code hostHeader}; otherwise why not (starting "malformed" when it is). */
  String check(String hostHeader) {
    // Every request of a client names the same host: remember the last verdict (one thread per gateway verticle,
    // and the verdict depends on the header alone) instead of parsing it again each time.
    if (hostHeader.equals(lastHost)) {
      return lastVerdict;
    }
    String verdict = verdict(hostHeader);
    lastHost = hostHeader;
    lastVerdict = verdict;
    return verdict;
  }

  private String verdict(String hostHeader) {
    String name = name(hostHeader);
    if (name == null) {
      return "malformed Host header '" + Bodies.abbreviate(hostHeader) + "'";
    }
    if (allowedHosts.contains(name) || !loopback && allowedHosts.isEmpty() || loopback && isLoopbackName(name)) {
      return null;
    }
    return "Host '" + Bodies.abbreviate(name) + "' is not a name of this gateway: it answers "
      + (loopback ? "localhost names, loopback addresses" + (allowedHosts.isEmpty() ? "" : " and ") : "")
      + String.join(", ", allowedHosts) + " (add the name to gateway.allowedHosts if it is one)";
  }

  /**
   * Null when the request may go on; otherwise why a state-changing request from another origin is refused.
   * Adds the CORS headers for an allowed origin.
   */
  String origin(HttpServerRequest request, String hostHeader, boolean tls) {
    // Most callers are not browsers: one lookup answers for them, without the list getAll makes.
    List<String> origins = request.headers().contains(HttpHeaders.ORIGIN) ? request.headers().getAll(HttpHeaders.ORIGIN)
      : List.of();
    boolean safe = SAFE.contains(request.method());
    if (origins.size() > 1) {
      return "the request has " + origins.size() + " Origin headers";
    }
    if (origins.isEmpty()) {
      // Browsers that send Fetch metadata say so even where they leave Origin out.
      String site = request.getHeader(SEC_FETCH_SITE);
      return !safe && "cross-site".equalsIgnoreCase(site)
        ? "a cross-site request may not change anything on this gateway (list the page's origin in gateway.allowedOrigins)"
        : null;
    }
    String origin = origins.get(0).trim().toLowerCase(Locale.ROOT);
    if (allowedOrigins.contains(origin)) {
      HttpServerResponse response = request.response();
      response.putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, origins.get(0).trim())
        .putHeader(HttpHeaders.VARY, HttpHeaders.ORIGIN)
        .putHeader(HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSED_HEADERS);
      return null;
    }
    if (safe || sameOrigin(origin, hostHeader, tls)) {
      return null;
    }
    return "a page from " + Bodies.abbreviate(origins.get(0)) + " may not change anything on this gateway:"
      + " cross-origin requests are refused unless gateway.allowedOrigins lists the origin";
  }

  /** Answers the CORS preflight of an allowed origin; false when the request is not one. */
  boolean preflight(HttpServerRequest request) {
    String origin = request.getHeader(HttpHeaders.ORIGIN);
    if (origin == null || request.getHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD) == null
      || !allowedOrigins.contains(origin.trim().toLowerCase(Locale.ROOT))) {
      return false;
    }
    request.response()
      .putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, ALLOWED_METHODS)
      .putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS, ALLOWED_HEADERS)
      .putHeader(HttpHeaders.ACCESS_CONTROL_MAX_AGE, "600");
    return true;
  }

  /** Whether {@code origin} ({@code scheme://host[:port]}, lower case) is this gateway as reached by {@code hostHeader}. */
  static boolean sameOrigin(String origin, String hostHeader, boolean tls) {
    String scheme = tls ? "https" : "http";
    if (!origin.startsWith(scheme + "://")) {
      return false;
    }
    return withPort(origin.substring(scheme.length() + 3), tls).equals(withPort(hostHeader.trim().toLowerCase(Locale.ROOT), tls));
  }

  private static String withPort(String authority, boolean tls) {
    int close = authority.lastIndexOf(']');
    int colon = authority.lastIndexOf(':');
    return colon > close ? authority : authority + ":" + (tls ? 443 : 80);
  }

  /** The host part of a {@code Host} header, lower case, without the port; null when malformed. */
  static String name(String hostHeader) {
    String h = hostHeader.trim().toLowerCase(Locale.ROOT);
    String host;
    String port = null;
    if (h.startsWith("[")) {
      int close = h.indexOf(']');
      if (close < 0) {
        return null;
      }
      host = h.substring(0, close + 1);
      if (close + 1 < h.length()) {
        if (h.charAt(close + 1) != ':') {
          return null;
        }
        port = h.substring(close + 2);
      }
      if (!host.matches("\\[[0-9a-f:.]{2,45}]")) {
        return null;
      }
    } else {
      int colon = h.indexOf(':');
      host = colon < 0 ? h : h.substring(0, colon);
      port = colon < 0 ? null : h.substring(colon + 1);
      if (!NAME.matcher(host).matches()) {
        return null;
      }
    }
    if (port != null && (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) > 65535)) {
      return null;
    }
    return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
  }

  static boolean isLoopbackName(String name) {
    if (name.equals("localhost") || name.endsWith(".localhost") || name.equals("[::1]")
      || name.equals("[0:0:0:0:0:0:0:1]")) {
      return true;
    }
    if (IPV4.matcher(name).matches()) {
      for (String part : name.split("\\.")) {
        if (Integer.parseInt(part) > 255) {
          return false;
        }
      }
      return name.startsWith("127.");
    }
    return false;
  }
}
