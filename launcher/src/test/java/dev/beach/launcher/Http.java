package dev.beach.launcher;

import io.vertx.core.json.Json;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** The gateway's HTTP API as the integration tests use it: JSON in, status and decoded JSON out. */
final class Http {

  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private Http() {
  }

  record Reply(int status, String body) {
    <T> T json() {
      @SuppressWarnings("unchecked")
      T value = (T) Json.decodeValue(body);
      return value;
    }
  }

  static Reply get(String url) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(url)).GET());
  }

  static Reply post(String url, Object json) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(url))
      .header("Content-Type", "application/json")
      .POST(HttpRequest.BodyPublishers.ofString(Json.encode(json))));
  }

  static Reply put(String url, byte[] body, String contentType) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", contentType)
      .PUT(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  /** Any method with a JSON body (PUT, say). */
  static Reply send(String method, String url, Object json) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
      .method(method, HttpRequest.BodyPublishers.ofString(Json.encode(json))));
  }

  /**
   * POST without waiting: the reply completes the future, or the future fails with an {@link IOException} when no
   * reply came within {@code patience} (a request that hangs shows up as a failure, never as a stuck test).
   */
  static CompletableFuture<Reply> postAsync(String url, Object json, Duration patience) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(patience)
      .header("Content-Type", "application/json")
      .POST(HttpRequest.BodyPublishers.ofString(Json.encode(json))).build();
    return CLIENT.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(r -> new Reply(r.statusCode(), r.body()));
  }

  private static Reply send(HttpRequest.Builder b) throws IOException, InterruptedException {
    HttpResponse<String> r = CLIENT.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    return new Reply(r.statusCode(), r.body());
  }
}
