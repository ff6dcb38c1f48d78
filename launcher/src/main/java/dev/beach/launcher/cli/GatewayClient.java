package dev.beach.launcher.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The client commands' view of a gateway: blocking JSON calls over {@code java.net.http}, so the CLI needs no
 * Vert.x event loop. A failure answer becomes a {@link CliException} carrying the gateway's message.
 */
public final class GatewayClient {

  /** Upper bound for one call; dispatch timeouts are enforced by the gateway well before this. */
  static final Duration CALL_TIMEOUT = Duration.ofMinutes(11);

  private final String url;
  private final String token;
  private final HttpClient http;

  /** The bearer token this client sends (null: none), for commands that stream with their own HTTP client. */
  String token() {
    return token;
  }

  public GatewayClient(String url, String token) {
    this.url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    this.token = token == null || token.isBlank() ? null : token.trim();
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  }

  public String url() {
    return url;
  }

  /** One answer: status, content type and body text. */
  public static final class Reply {
    public final int status;
    public final String contentType;
    public final String body;
    private final java.net.http.HttpHeaders headers;

    Reply(int status, String contentType, String body) {
      this(status, contentType, body, java.net.http.HttpHeaders.of(java.util.Map.of(), (a, b) -> true));
    }

    Reply(int status, String contentType, String body, java.net.http.HttpHeaders headers) {
      this.status = status;
      this.contentType = contentType;
      this.body = body;
      this.headers = headers;
    }

    /** A response header's first value, or null. */
    public String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    /** The body as a JSON value (object, array, string, number, boolean or null). */
    public Object json() {
      if (body.isEmpty()) {
        return null;
      }
      try {
        return Json.decodeValue(body);
      } catch (DecodeException e) {
        return body;
      }
    }

    public JsonObject object() {
      Object v = json();
      return v instanceof JsonObject ? (JsonObject) v : new JsonObject();
    }

    public JsonArray array() {
      Object v = json();
      return v instanceof JsonArray ? (JsonArray) v : new JsonArray();
    }
  }

  public Reply get(String path) {
    return send("GET", path, null, null);
  }

  public Reply delete(String path) {
    return send("DELETE", path, null, null);
  }

  public Reply post(String path, String json) {
    // The gateway wants a JSON content type on every POST, bodiless commands included (it refuses what a
    // page of another site could send without asking).
    return send("POST", path, json == null ? null : json.getBytes(StandardCharsets.UTF_8), "application/json");
  }

  public Reply send(String method, String path, byte[] body, String contentType) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).timeout(CALL_TIMEOUT)
      .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> r;
    try {
      r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (ConnectException e) {
      throw new CliException("cannot reach the gateway at " + url + " (is a node running? set --url or BEACH_URL)");
    } catch (HttpTimeoutException e) {
      throw new CliException("the gateway at " + url + " did not answer in time");
    } catch (IOException e) {
      throw new CliException("talking to the gateway at " + url + " failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted");
    }
    Reply reply = new Reply(r.statusCode(), r.headers().firstValue("content-type").orElse(""), r.body(), r.headers());
    if (reply.status >= 400) {
      throw failure(reply);
    }
    return reply;
  }

  private static CliException failure(Reply reply) {
    JsonObject error = reply.object().getJsonObject("error");
    if (error == null) {
      return new CliException(reply.status, "HTTP " + reply.status + (reply.body.isBlank() ? "" : ": " + reply.body.trim()));
    }
    StringBuilder where = new StringBuilder();
    for (String key : new String[] {"realm", "category", "actor", "op"}) {
      if (error.getString(key) != null) {
        where.append(where.length() == 0 ? " (" : ", ").append(key).append(' ').append(error.getString(key));
      }
    }
    if (where.length() > 0) {
      where.append(')');
    }
    return new CliException(reply.status, "error " + error.getInteger("code", reply.status) + ": "
      + error.getString("message", "") + where);
  }

  /** A path segment, percent-encoded (names are validated by the gateway, which quotes the rule). */
  public static String seg(String s) {
    StringBuilder out = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~') {
        out.append(c);
      } else {
        out.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return out.toString();
  }
}
