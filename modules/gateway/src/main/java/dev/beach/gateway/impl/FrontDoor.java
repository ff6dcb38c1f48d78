package dev.beach.gateway.impl;

import dev.beach.gateway.GatewayOptions;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * What every request passes before the router: framing, {@code Host}, the request target and {@code Origin}.
 * <ul>
 *   <li>Framing a proxy and this server could read differently (request smuggling) is refused: a
 *   {@code Transfer-Encoding} other than exactly {@code chunked}, one together with {@code Content-Length},
 *   several lengths or hosts.</li>
 *   <li>{@link HostPolicy}: a gateway on a loopback address answers only localhost names, loopback addresses and
 *   {@code gateway.allowedHosts}, so a page that rebinds its own DNS name to 127.0.0.1 is refused.</li>
 *   <li>A target with malformed percent-encoding, control characters or bytes outside ASCII is 400, before the
 *   router tries to decode it.</li>
 *   <li>A state-changing method from a page of another origin is refused unless {@code gateway.allowedOrigins}
 *   lists it (CORS is off by default): a form or script on any site the developer visits cannot deploy, push,
 *   flush or shut down.</li>
 * </ul>
 * Every answer, the router's included, carries the {@link #securityHeaders}. Refusals are JSON errors and close
 * the connection, since the rest of what the client sent cannot be trusted to be framed as it claims.
 */
final class FrontDoor implements Handler<HttpServerRequest> {

  /**
   * Fits the dashboard (ES modules, stylesheets and images from this origin, fetch to this origin; it has no
   * inline script or style) and forbids framing, plugins, base-URL tricks and form posts elsewhere.
   */
  static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    + "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    + "frame-ancestors 'none'";

  private final HostPolicy hosts;
  private final Timeouts timeouts;
  private final Handler<HttpServerRequest> next;
  private final boolean tls;

  FrontDoor(GatewayOptions options, boolean loopback, Timeouts timeouts, Handler<HttpServerRequest> next) {
    this.hosts = new HostPolicy(options, loopback);
    this.timeouts = timeouts;
    this.next = next;
    this.tls = options.getTlsCertPath() != null;
  }

  // Names and values encoded once: every answer carries them, and an AsciiString is copied into the response
  // head as bytes, without hashing or encoding a String per request.
  private static final CharSequence[] SECURITY_HEADERS = {
    HttpHeaders.createOptimized("Content-Security-Policy"), HttpHeaders.createOptimized(CSP),
    HttpHeaders.createOptimized("X-Content-Type-Options"), HttpHeaders.createOptimized("nosniff"),
    HttpHeaders.createOptimized("X-Frame-Options"), HttpHeaders.createOptimized("DENY"),
    HttpHeaders.createOptimized("Referrer-Policy"), HttpHeaders.createOptimized("no-referrer"),
    HttpHeaders.createOptimized("Cross-Origin-Opener-Policy"), HttpHeaders.createOptimized("same-origin"),
    HttpHeaders.createOptimized("Cross-Origin-Resource-Policy"), HttpHeaders.createOptimized("same-origin"),
  };

  /** RFC 9110 token characters, for header names: a table rather than a regex, since every header of every request is checked. */
  private static final boolean[] TOKEN_CHAR = new boolean[128];

  static {
    for (char c : "!#$%&'*+.^_`|~-".toCharArray()) {
      TOKEN_CHAR[c] = true;
    }
    for (char c = '0'; c <= '9'; c++) {
      TOKEN_CHAR[c] = true;
    }
    for (char c = 'a'; c <= 'z'; c++) {
      TOKEN_CHAR[c] = true;
      TOKEN_CHAR[Character.toUpperCase(c)] = true;
    }
  }

  /** Called first thing for each answer: added, not set (a set looks each name up to replace it first). */
  static void securityHeaders(HttpServerResponse response) {
    MultiMap headers = response.headers();
    for (int i = 0; i < SECURITY_HEADERS.length; i += 2) {
      headers.add(SECURITY_HEADERS[i], SECURITY_HEADERS[i + 1]);
    }
  }

  private static boolean isToken(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c >= 128 || !TOKEN_CHAR[c]) {
        return false;
      }
    }
    return true;
  }

  /** 1 to 18 ASCII digits (so that it fits a long), after trimming. */
  private static boolean isLength(String value) {
    String v = value.trim();
    if (v.isEmpty() || v.length() > 18) {
      return false;
    }
    for (int i = 0; i < v.length(); i++) {
      if (v.charAt(i) < '0' || v.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  @Override
  public void handle(HttpServerRequest request) {
    timeouts.started(request);
    securityHeaders(request.response());
    String problem = framing(request);
    if (problem == null) {
      problem = target(request.uri());
    }
    if (problem != null) {
      refuse(request, 400, problem);
      return;
    }
    List<String> host = request.headers().getAll(HttpHeaders.HOST);
    if (host.size() != 1) {
      refuse(request, 400, host.isEmpty() ? "the request has no Host header: HTTP/1.1 requires one"
        : "the request has " + host.size() + " Host headers: send one");
      return;
    }
    String refused = hosts.check(host.get(0));
    if (refused != null) {
      refuse(request, refused.startsWith("malformed") ? 400 : 403, refused);
      return;
    }
    refused = hosts.origin(request, host.get(0), tls);
    if (refused != null) {
      refuse(request, 403, refused);
      return;
    }
    if (request.method() == HttpMethod.OPTIONS && hosts.preflight(request)) {
      request.response().setStatusCode(204).end();
      return;
    }
    next.handle(request);
  }

  /** Null when the message framing is unambiguous and every header is well formed; otherwise why not. */
  private static String framing(HttpServerRequest request) {
    for (java.util.Map.Entry<String, String> h : request.headers()) {
      if (!isToken(h.getKey())) {
        return "malformed header name '" + Bodies.abbreviate(h.getKey()) + "'";
      }
      String v = h.getValue();
      for (int i = 0; i < v.length(); i++) {
        char c = v.charAt(i);
        if (c < 0x20 && c != '\t' || c == 0x7f) {
          return "the header " + Bodies.abbreviate(h.getKey()) + " has a control character";
        }
      }
    }
    List<String> te = request.headers().getAll(HttpHeaders.TRANSFER_ENCODING);
    List<String> length = request.headers().getAll(HttpHeaders.CONTENT_LENGTH);
    if (!te.isEmpty()) {
      if (te.size() != 1 || !te.get(0).trim().equalsIgnoreCase("chunked")) {
        return "unsupported Transfer-Encoding '" + Bodies.abbreviate(String.join(", ", te))
          + "': send 'chunked' or a Content-Length";
      }
      if (!length.isEmpty()) {
        return "the request has both Transfer-Encoding and Content-Length: send one";
      }
    }
    if (length.size() > 1) {
      return "the request has " + length.size() + " Content-Length headers: send one";
    }
    if (length.size() == 1 && !isLength(length.get(0))) {
      return "malformed Content-Length '" + Bodies.abbreviate(length.get(0)) + "'";
    }
    return null;
  }

  /**
   * Null when {@code uri} is an origin-form target ({@code /path?query}) of printable ASCII whose percent-escapes
   * are well formed and decode to neither control characters nor invalid UTF-8; otherwise why not.
   */
  static String target(String uri) {
    if (uri == null || !uri.startsWith("/")) {
      return "the request target must be a path starting with '/'";
    }
    if (uri.indexOf('%') < 0) {
      // No escapes: printable ASCII only (checked below) is valid UTF-8, so nothing needs decoding.
      for (int i = 0; i < uri.length(); i++) {
        char c = uri.charAt(i);
        if (c <= 0x20 || c >= 0x7f) {
          return "the request target has a character outside printable ASCII at " + i + ": percent-encode it";
        }
      }
      return null;
    }
    byte[] decoded = new byte[uri.length()];
    int n = 0;
    for (int i = 0; i < uri.length(); i++) {
      char c = uri.charAt(i);
      if (c <= 0x20 || c >= 0x7f) {
        return "the request target has a character outside printable ASCII at " + i + ": percent-encode it";
      }
      if (c == '%') {
        if (i + 2 >= uri.length() || Character.digit(uri.charAt(i + 1), 16) < 0 || Character.digit(uri.charAt(i + 2), 16) < 0) {
          return "malformed percent-encoding at " + i + " of the request target: '%' must be followed by two hex digits";
        }
        int b = Character.digit(uri.charAt(i + 1), 16) * 16 + Character.digit(uri.charAt(i + 2), 16);
        if (b < 0x20 || b == 0x7f) {
          return "the request target encodes a control character (%" + uri.substring(i + 1, i + 3) + ") at " + i;
        }
        decoded[n++] = (byte) b;
        i += 2;
      } else {
        decoded[n++] = (byte) c;
      }
    }
    try {
      java.nio.charset.StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(decoded, 0, n));
    } catch (java.nio.charset.CharacterCodingException e) {
      return "the request target's percent-escapes are not valid UTF-8";
    }
    return null;
  }

  /** Answers {@code status} with a JSON error and closes the connection. */
  static void refuse(HttpServerRequest request, int status, String message) {
    HttpServerResponse response = request.response();
    if (response.ended() || response.headWritten()) {
      request.connection().close();
      return;
    }
    response.setStatusCode(status)
      .putHeader(HttpHeaders.CONTENT_TYPE, Bodies.JSON)
      .putHeader(HttpHeaders.CONNECTION, "close")
      .end(new JsonObject().put("error", HttpErrors.plain(status, message)).encode())
      .onComplete(ar -> request.connection().close());
  }

  /**
   * Vert.x's handler for requests its HTTP codec could not parse (a bad request line or header, a line or header
   * block over the limit): the same JSON error and headers as every other answer, then the connection is closed.
   */
  static void invalid(HttpServerRequest request) {
    securityHeaders(request.response());
    Throwable cause = request.decoderResult().cause();
    int status = 400;
    String message = "malformed HTTP request: " + (cause == null ? "unreadable" : Bodies.abbreviate(String.valueOf(cause.getMessage())));
    if (cause instanceof TooLongHttpLineException) {
      status = 414;
      message = "the request line is too long (8 KiB at most)";
    } else if (cause instanceof TooLongHttpHeaderException) {
      status = 431;
      message = "the request headers are too large (16 KiB at most)";
    }
    refuse(request, status, message);
  }
}
