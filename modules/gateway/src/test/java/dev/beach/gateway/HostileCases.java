package dev.beach.gateway;

import org.yaml.snakeyaml.Yaml;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hostile requests generated from {@code openapi.yaml}: for every operation, each path and query parameter
 * replaced by hostile values of its kind, every method the path does not take, every body content type, each
 * property of each request-body schema given a wrong type (and required ones left out), malformed JSON, odd
 * headers, and broken framing written on the raw socket. Each case is the exact bytes of one HTTP/1.1 request.
 * <p>
 * The baseline of every operation is harmless on purpose (confirm=false, a category with no actors, a node that
 * does not exist), so a hostile value that happens to be valid cannot shut the node down or flush it.
 */
final class HostileCases {

  /**
   * One generated request. {@code refused} cases (ambiguous framing, unparseable heads) must be answered 4xx and
   * the connection closed, or closed without an answer; {@code raw} cases may also be closed without an answer
   * (the codec may give up on what it cannot parse); every other case must get an answer.
   */
  static final class Case {
    final String name;
    final byte[] request;
    final boolean raw;
    final boolean refused;

    Case(String name, byte[] request, boolean raw, boolean refused) {
      this.name = name;
      this.request = request;
      this.raw = raw;
      this.refused = refused;
    }

    Case(String name, byte[] request) {
      this(name, request, false, false);
    }
  }

  /** Path segments as written on the wire (already percent-encoded where they are meant to be). */
  static final List<String> SEGMENTS = List.of("", "%", "%z", "%zz", "%%", "%2", "%00", "%0a", "%0d%0a", "%7f", "%1b",
    "%C3%28", "%C0%AF", "%ED%A0%80", "%F4%90%80%80", "%F0%9F%98%80", "%E2%80%AE", "..", "%2e%2e", ".", "%2F",
    "%2f..%2f..%2fetc%2fpasswd", "%5C", "a%20b", "%3Cscript%3E", "'%20OR%201=1--", "a;b", "a,b", "*", "~", "UPPER",
    "-x", "_x", "x".repeat(300), "a.b..c", "%25", "%2525", "%u0041", "a%09b", "\u00e9", "a/b");

  static final List<String> INTEGERS = List.of("", "-1", "0", "1", "2147483648", "-9223372036854775809",
    "99999999999999999999", "1e3", "1.5", "0x10", "NaN", "%20", "%zz", "abc", "%00", "%2B1", "1%00", "x".repeat(2000));
  static final List<String> BOOLEANS = List.of("maybe", "nope", "2", "%zz", "%00", "tru", "x".repeat(2000), "%C3%28");
  static final List<String> STRINGS = List.of("", "%zz", "%", "%00", "%3Cscript%3E", "x".repeat(3000), "%C3%28",
    "a,b,c", "..%2F..%2F", "%0d%0aSet-Cookie:%20x=1", "%F0%9F%98%80", "*", "%E2%80%AE");

  static final List<String> HEADERS = List.of(
    "Authorization: Bearer", "Authorization: Bearer " + "x".repeat(8000), "Authorization: Basic Zm9vOmJhcg==",
    "Authorization: Bearer \u00e9\u00e9", "Authorization: Bearer a b c", "Authorization:",
    "Accept: ??", "Accept: text/event-stream", "Accept-Encoding: gzip;q=abc, br;q=-1", "Accept-Encoding: *;q=0",
    "Accept-Charset: utf-1000", "Range: bytes=abc", "Range: bytes=0-0,1-1,2-2,3-3", "If-None-Match: *",
    "If-Modified-Since: yesterday", "Origin: null", "X-Forwarded-Host: evil.example", "X-Forwarded-For: ::::",
    "Forwarded: for=evil", "Cookie: a=b; =; ;;", "Content-Encoding: gzip", "Content-Encoding: identity, br",
    "Connection: upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: x",
    "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA",
    "Expect: garbage", "Expect: 100-continue", "Max-Forwards: -1", "X-Http-Method-Override: DELETE",
    "Content-Type: application/json; charset=utf-16", "Content-Type: ;;;", "Content-Type: application/json, text/plain",
    "Content-Type: application/json; boundary=\"", "Content-Type: " + "a".repeat(4000),
    "Sec-Fetch-Site: cross-site", "Sec-Fetch-Site: none", "TE: trailers, deflate;q=abc", "Via: 1.1 \u0000",
    "Referer: javascript:alert(1)", "X-Empty;", "Accept-Language: " + "en,".repeat(2000));

  static final List<String> CONTENT_TYPES = List.of("text/plain", "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x", "text/xml", "application/xml", "application/json; charset=latin1",
    "application/vnd.api+json", "application/x-ndjson", "application/octet-stream", "image/png",
    "application/java-archive", "text/x-java-source", "*/*", "application/*", "application/json;;",
    "APPLICATION/JSON", "json", "");

  static final List<String> MALFORMED_JSON = List.of("{", "}", "[", "{\"a\":}", "[1,2,]", "{\"a\":1}}", "nul", "{'a':1}",
    "{\"a\":NaN}", "{/*x*/\"a\":1}", "[".repeat(3000) + "]".repeat(3000), "{\"n\":" + "9".repeat(2000) + "}",
    "123456789012345678901234567890", "\"\\ud800\"", "{\"a\":\"\u0001\"}", "\u00ef\u00bb\u00bf{}", "{\"a\":1,\"a\":2}",
    "{\"" + "k".repeat(100_000) + "\":1}", "1e999999", "-", "{\"a\" 1}", "\"unterminated", "{\"a\":[1,{\"b\":]}}",
    "true false", "{\"__proto__\":{\"admin\":true}}");

  static final List<Object> WRONG_VALUES = List.of("\"text\"", "42", "-1", "1.5", "true", "null", "[]", "[1,[2]]", "{}",
    "{\"$ref\":\"#\"}", "\"" + "s".repeat(5000) + "\"", "99999999999999999999999", "\"../../etc/passwd\"",
    "\"<script>\"", "[\"a\",5,null]");

  /** Ambiguous framing and unparseable heads, for one target path ({@code %P}): 4xx and closed, every one. */
  static final List<String> REFUSED = List.of(
    "POST %P HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked, identity\r\nContent-Length: 2\r\nContent-Type: application/json\r\n\r\n{}",
    "POST %P HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: gzip\r\nContent-Type: application/json\r\n\r\n{}",
    "POST %P HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: identity\r\nContent-Type: application/json\r\n\r\n{}",
    "POST %P HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n0\r\n\r\n",
    "POST %P HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\nContent-Length: 3\r\nContent-Type: application/json\r\n\r\n{}",
    "POST %P HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2, 2\r\nContent-Type: application/json\r\n\r\n{}",
    "POST %P HTTP/1.1\r\nHost: localhost\r\nContent-Length: -1\r\nContent-Type: application/json\r\n\r\n{}",
    "POST %P HTTP/1.1\r\nHost: localhost\r\nContent-Length: abc\r\nContent-Type: application/json\r\n\r\n{}",
    "POST %P HTTP/1.1\r\nHost: localhost\r\nContent-Length: +2\r\nContent-Type: application/json\r\n\r\n{}",
    "POST %P HTTP/1.1\r\nHost: localhost\r\nContent-Length: 99999999999999999999\r\nContent-Type: application/json\r\n\r\n{}",
    "POST %P HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
    "POST %P HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\nffffffffffffffffff\r\n{}\r\n0\r\n\r\n",
    "POST %P HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n-2\r\n{}\r\n0\r\n\r\n",
    "GET %P HTTP/1.1\r\nHost: localhost\r\nNo-Colon-Here\r\n\r\n",
    "GET %P HTTP/1.1\r\nHost: localhost\r\nBad Name: x\r\n\r\n",
    "GET %P HTTP/1.1\r\nHost: localhost\r\n: empty-name\r\n\r\n",
    "GET %P HTTP/1.1\r\nHost: localhost\r\nX-Nul: a\u0000b\r\n\r\n",
    "GET %P HTTP/1.1\r\nHost: local\u0000host\r\n\r\n",
    "GET %P HTTP/1.1\r\nHost: localhost\r\nX-Ctl: \u0001\u0002\r\n\r\n",
    "GET %P HTTP/9.9\r\nHost: localhost\r\n\r\n",
    "GET %P HTTP/1.1 extra\r\nHost: localhost\r\n\r\n",
    "GET %P\r\nHost: localhost\r\n\r\n",
    "GET http://evil.example%P HTTP/1.1\r\nHost: localhost\r\n\r\n",
    "GET * HTTP/1.1\r\nHost: localhost\r\n\r\n",
    "OPTIONS * HTTP/1.1\r\nHost: localhost\r\n\r\n",
    "GET %P\u00e9 HTTP/1.1\r\nHost: localhost\r\n\r\n",
    "GET %P%zz HTTP/1.1\r\nHost: localhost\r\n\r\n",
    "GET %P?%zz=1 HTTP/1.1\r\nHost: localhost\r\n\r\n",
    "GET %P HTTP/1.1\r\n\r\n",
    "GET %P HTTP/1.1\r\nHost: localhost\r\nHost: localhost\r\n\r\n",
    "GET %P HTTP/1.0\r\n\r\n",
    "GET %P HTTP/1.1\r\nHost: evil.example\r\n\r\n",
    "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
    "GARBAGE\r\n\r\n",
    "GET %P HTTP/1.1\r\nHost: localhost\r\n" + "X-Many: 1\r\n".repeat(2000) + "\r\n",
    "GET %P HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "h".repeat(20_000) + "\r\n\r\n",
    "GET /" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: localhost\r\n\r\n");

  /** Odd but parseable raw requests: any answer but a 5xx, or a close; never a hang. */
  static final List<String> ODD = List.of(
    // chunked with a Content-Length: Netty drops the length (RFC 9112 6.3), so the chunked body is the message.
    "POST %P HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\nContent-Length: 2\r\nContent-Type: application/json\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
    "POST %P HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding:\tchunked\r\nContent-Length: 3\r\nContent-Type: application/json\r\n\r\n{}\n",
    "POST %P HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\nContent-Type: application/json\r\n X-Folded: continued\r\n\r\n{}", // obs-fold: Netty joins the lines
    "GET %P HTTP/1.1\nHost: localhost\n\n",
    "GET %P HTTP/1.1\rHost: localhost\r\r",
    "GET  %P  HTTP/1.1\r\nHost: localhost\r\n\r\n",
    "get %P HTTP/1.1\r\nHost: localhost\r\n\r\n",
    "G\u00c9T %P HTTP/1.1\r\nHost: localhost\r\n\r\n",
    "GET //evil.example%P HTTP/1.1\r\nHost: localhost\r\n\r\n",
    "GET %P#frag HTTP/1.1\r\nHost: localhost\r\n\r\n",
    "\r\n\r\n\r\n");

  private final Map<String, Object> spec;
  private final String nodeId;

  @SuppressWarnings("unchecked")
  HostileCases(String nodeId) {
    try (InputStream in = Gateway.class.getClassLoader().getResourceAsStream(Gateway.OPENAPI_RESOURCE)) {
      this.spec = new Yaml().load(in);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    this.nodeId = nodeId;
  }

  /** One operation of the spec with its parameters ({@code $ref}s resolved) and body. */
  private static final class Operation {
    String path;
    String method;
    final List<Map<String, Object>> parameters = new ArrayList<>();
    Map<String, Object> body;

    String id() {
      return method + " " + path;
    }
  }

  @SuppressWarnings("unchecked")
  private List<Operation> operations() {
    List<Operation> ops = new ArrayList<>();
    Map<String, Object> paths = (Map<String, Object>) spec.get("paths");
    for (Map.Entry<String, Object> p : paths.entrySet()) {
      for (Map.Entry<String, Object> m : ((Map<String, Object>) p.getValue()).entrySet()) {
        Operation op = new Operation();
        op.path = p.getKey();
        op.method = m.getKey().toUpperCase(java.util.Locale.ROOT);
        Map<String, Object> def = (Map<String, Object>) m.getValue();
        for (Object param : (List<Object>) def.getOrDefault("parameters", List.of())) {
          op.parameters.add(resolve((Map<String, Object>) param));
        }
        op.body = (Map<String, Object>) def.get("requestBody");
        ops.add(op);
      }
    }
    return ops;
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> resolve(Map<String, Object> node) {
    Object ref = node.get("$ref");
    if (ref == null) {
      return node;
    }
    Object at = spec;
    for (String part : ((String) ref).substring(2).split("/")) {
      at = ((Map<String, Object>) at).get(part);
    }
    return resolve((Map<String, Object>) at);
  }

  /** Harmless valid values: the baseline each case changes one thing of. */
  private String pathValue(Operation op, String name) {
    switch (name) {
      case "realm":
        return "test";
      case "category":
        return "echo";
      case "op":
        return "echo";
      case "file":
        return "Hostile.java";
      case "name":
        return "nosuchdeployment";
      case "id":
        // Never drain the node under test: the baseline drains a node that is not there (404).
        return op.path.endsWith("/drain") ? "nosuchnode" : op.path.startsWith("/v1/nodes") ? nodeId : op.path.startsWith("/v1/jobs") ? "nosuchjob" : "nosuchactor";
      default:
        throw new AssertionError("no baseline for path parameter " + name + " of " + op.id());
    }
  }

  private static Map<String, String> baselineQuery(Operation op) {
    Map<String, String> q = new LinkedHashMap<>();
    if (op.path.equals("/v1/admin/flush")) {
      q.put("confirm", "false");
    } else if (op.path.equals("/v1/admin/shutdown")) {
      q.put("node", "nosuchnode");
      q.put("confirm", "false");
    } else if (op.path.endsWith("/restart") || op.method.equals("DELETE") && op.path.endsWith("/actors")) {
      q.put("category", "nothing.here");
    } else if (op.path.equals("/v1/events")) {
      q.put("type", "nothing.at.all");
    }
    return q;
  }

  private String body(Operation op) {
    if (op.path.endsWith("/actors") && op.method.equals("POST")) {
      return "{\"class\":\"" + TestActors.Echo.class.getName() + "\",\"categories\":[\"hostile\"]}";
    }
    if (op.path.endsWith("/jobs") && op.method.equals("POST")) {
      return "{\"category\":\"echo\",\"op\":\"echo\",\"inputs\":[1,2]}";
    }
    if (op.path.endsWith("/code/{file}")) {
      return "class Hostile {}";
    }
    return op.method.equals("POST") || op.method.equals("PUT") ? "{}" : null;
  }

  private static String type(Operation op) {
    return op.path.endsWith("/code/{file}") ? "text/x-java-source" : "application/json";
  }

  private String target(Operation op, Map<String, String> pathValues, Map<String, String> query) {
    String p = op.path;
    for (Map<String, Object> param : op.parameters) {
      if ("path".equals(param.get("in"))) {
        String name = (String) param.get("name");
        p = p.replace("{" + name + "}", pathValues.getOrDefault(name, pathValue(op, name)));
      }
    }
    StringBuilder q = new StringBuilder();
    for (Map.Entry<String, String> e : query.entrySet()) {
      q.append(q.length() == 0 ? "?" : "&").append(e.getKey()).append(e.getValue() == null ? "" : "=" + e.getValue());
    }
    return p + q;
  }

  private static byte[] request(String method, String target, String type, String body, String... headers) {
    StringBuilder r = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: localhost\r\n");
    for (String h : headers) {
      r.append(h).append("\r\n");
    }
    byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    if (type != null) {
      r.append("Content-Type: ").append(type).append("\r\n");
    }
    if (body != null) {
      r.append("Content-Length: ").append(content.length).append("\r\n");
    }
    r.append("Connection: close\r\n\r\n");
    byte[] head = r.toString().getBytes(StandardCharsets.ISO_8859_1);
    byte[] all = new byte[head.length + content.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(content, 0, all, head.length, content.length);
    return all;
  }

  private byte[] baseline(Operation op, Map<String, String> pathValues, Map<String, String> query, String... headers) {
    String body = body(op);
    return request(op.method, target(op, pathValues, query), body == null ? null : type(op), body, headers);
  }

  @SuppressWarnings("unchecked")
  List<Case> all() {
    List<Case> cases = new ArrayList<>();
    List<Operation> ops = operations();
    Map<String, List<String>> methodsByPath = new LinkedHashMap<>();
    for (Operation op : ops) {
      methodsByPath.computeIfAbsent(op.path, k -> new ArrayList<>()).add(op.method);
      Map<String, String> query = baselineQuery(op);
      for (Map<String, Object> param : op.parameters) {
        String name = (String) param.get("name");
        if ("path".equals(param.get("in"))) {
          for (String v : SEGMENTS) {
            cases.add(new Case(op.id() + " path " + name + "=" + abbreviate(v), baseline(op, Map.of(name, v), query)));
          }
        } else if ("query".equals(param.get("in"))) {
          String kind = String.valueOf(((Map<String, Object>) param.getOrDefault("schema", Map.of())).get("type"));
          List<String> values = "integer".equals(kind) ? INTEGERS : "boolean".equals(kind) ? BOOLEANS : STRINGS;
          for (String v : values) {
            Map<String, String> q = new LinkedHashMap<>(query);
            q.put(name, v);
            cases.add(new Case(op.id() + " query " + name + "=" + abbreviate(v), baseline(op, Map.of(), q)));
          }
          Map<String, String> twice = new LinkedHashMap<>(query);
          twice.put(name, (query.containsKey(name) ? query.get(name) : "x") + "&" + name + "=y");
          cases.add(new Case(op.id() + " query " + name + " twice", baseline(op, Map.of(), twice)));
          if (!name.equals("confirm")) { // a bare ?confirm means true: it would really flush
            Map<String, String> bare = new LinkedHashMap<>(query);
            bare.put(name, null);
            cases.add(new Case(op.id() + " query " + name + " without value", baseline(op, Map.of(), bare)));
          }
        }
      }
      for (String odd : new String[] {"", "&&&", "=x", "a=1&a=2&a=3", "x=%zz", "p=1&".repeat(2000)}) {
        String t = target(op, Map.of(), query);
        t += (t.contains("?") ? "&" : "?") + odd;
        String body = body(op);
        cases.add(new Case(op.id() + " query " + abbreviate(odd), request(op.method, t, body == null ? null : type(op), body)));
      }
      for (String h : HEADERS) {
        cases.add(new Case(op.id() + " header " + abbreviate(h), baseline(op, Map.of(), query, h)));
      }
      if (op.method.equals("POST") || op.method.equals("PUT")) {
        for (String type : CONTENT_TYPES) {
          String body = body(op);
          cases.add(new Case(op.id() + " type " + type, request(op.method, target(op, Map.of(), query),
            type.isEmpty() ? null : type, body == null ? "{}" : body)));
        }
      }
      if (op.body != null && ((Map<String, Object>) op.body.getOrDefault("content", Map.of())).containsKey("application/json")) {
        cases.addAll(bodies(op, query));
      }
    }
    for (Map.Entry<String, List<String>> p : methodsByPath.entrySet()) {
      Operation any = ops.stream().filter(o -> o.path.equals(p.getKey())).findFirst().orElseThrow();
      for (String m : new String[] {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT",
        "BREW", "PROPFIND", "M-SEARCH"}) {
        if (!p.getValue().contains(m)) {
          cases.add(new Case(m + " " + p.getKey() + " (method)", request(m, target(any, Map.of(), Map.of()), "application/json", "{}")));
        }
      }
    }
    for (String path : new String[] {"/v1/realms/test/categories/echo/echo", "/v1/realms/test/actors", "/v1/nodes"}) {
      for (String raw : REFUSED) {
        cases.add(new Case("refused " + abbreviate(raw.replace("\r\n", "|")) + " on " + path,
          raw.replace("%P", path).getBytes(StandardCharsets.ISO_8859_1), true, true));
      }
      for (String raw : ODD) {
        cases.add(new Case("odd " + abbreviate(raw.replace("\r\n", "|")) + " on " + path,
          raw.replace("%P", path).getBytes(StandardCharsets.ISO_8859_1), true, false));
      }
    }
    return cases;
  }

  @SuppressWarnings("unchecked")
  private List<Case> bodies(Operation op, Map<String, String> query) {
    List<Case> cases = new ArrayList<>();
    String t = target(op, Map.of(), query);
    for (String json : MALFORMED_JSON) {
      cases.add(new Case(op.id() + " body " + abbreviate(json), request(op.method, t, "application/json", json)));
    }
    Map<String, Object> content = (Map<String, Object>) ((Map<String, Object>) op.body.get("content")).get("application/json");
    Map<String, Object> schema = content == null || content.get("schema") == null ? null
      : resolve((Map<String, Object>) content.get("schema"));
    if (schema == null || schema.get("properties") == null) {
      return cases;
    }
    io.vertx.core.json.JsonObject valid = new io.vertx.core.json.JsonObject(body(op));
    for (String property : ((Map<String, Object>) schema.get("properties")).keySet()) {
      for (Object wrong : WRONG_VALUES) {
        io.vertx.core.json.JsonObject b = valid.copy();
        b.remove(property);
        String text = b.encode();
        text = text.substring(0, text.length() - 1) + (b.isEmpty() ? "" : ",") + "\"" + property + "\":" + wrong + "}";
        cases.add(new Case(op.id() + " body " + property + "=" + abbreviate(String.valueOf(wrong)),
          request(op.method, t, "application/json", text)));
      }
      io.vertx.core.json.JsonObject missing = valid.copy();
      missing.remove(property);
      cases.add(new Case(op.id() + " body without " + property, request(op.method, t, "application/json", missing.encode())));
    }
    cases.add(new Case(op.id() + " body with an unknown field", request(op.method, t, "application/json",
      valid.copy().put("unknownField", 1).encode())));
    return cases;
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 37) + "...";
  }
}
