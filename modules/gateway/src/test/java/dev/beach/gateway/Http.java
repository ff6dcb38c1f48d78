package dev.beach.gateway;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A blocking HTTP client for tests: one call, its status and body. */
public final class Http {

  private final String base;
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
    .connectTimeout(Duration.ofSeconds(5)).build();
  private String token;

  public Http(String base) {
    this.base = base;
  }

  public String base() {
    return base;
  }

  /** A client for the same gateway sending {@code token} (null: none). */
  public Http withToken(String token) {
    Http h = new Http(base);
    h.token = token;
    return h;
  }

  public static final class Response {
    public final int status;
    public final String body;
    public final java.net.http.HttpHeaders headers;

    Response(int status, String body, java.net.http.HttpHeaders headers) {
      this.status = status;
      this.body = body;
      this.headers = headers;
    }

    public JsonObject json() {
      return new JsonObject(body);
    }

    public JsonArray array() {
      return new JsonArray(body);
    }

    /** The {@code error} object of a failure answer. */
    public JsonObject error() {
      return json().getJsonObject("error");
    }

    public String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }

  public Response get(String path) {
    return send("GET", path, null, null);
  }

  public Response delete(String path) {
    return send("DELETE", path, null, null);
  }

  public Response post(String path, String json) {
    return send("POST", path, json == null ? null : json.getBytes(StandardCharsets.UTF_8), "application/json");
  }

  /**
   * Sends a request; a POST or PUT without a content type gets {@code application/json}, as every client of the
   * gateway sends it ({@link #sendWithoutType} tests the refusal).
   */
  public Response send(String method, String path, byte[] body, String contentType, String... headers) {
    boolean changes = method.equals("POST") || method.equals("PUT");
    return exchange(method, path, body, contentType == null && changes ? "application/json" : contentType, headers);
  }

  /** A request without a Content-Type header. */
  public Response sendWithoutType(String method, String path, byte[] body, String... headers) {
    return exchange(method, path, body, null, headers);
  }

  private Response exchange(String method, String path, byte[] body, String contentType, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
      .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    try {
      HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.body(), r.headers());
    } catch (IOException e) {
      throw new AssertionError(method + " " + path + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /**
   * Sends raw bytes on a new connection and returns the status line's code (0 when the server closed
   * without answering): for requests {@link HttpClient} refuses to build.
   */
  public int raw(String request) {
    URI uri = URI.create(base);
    try (Socket s = new Socket(uri.getHost(), uri.getPort())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      StringBuilder line = new StringBuilder();
      int c;
      while ((c = in.read()) >= 0 && c != '\n') {
        line.append((char) c);
      }
      String[] parts = line.toString().split(" ");
      return parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
    } catch (IOException e) {
      return 0;
    }
  }
}
