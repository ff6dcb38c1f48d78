package dev.beach.gateway;

import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Reads a Server-Sent Event stream on a thread of its own, line by line. */
final class SseClient implements AutoCloseable {

  final int status;
  private final InputStream body;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final Thread reader;

  private SseClient(HttpResponse<InputStream> response) {
    this.status = response.statusCode();
    this.body = response.body();
    this.reader = new Thread(this::read, "sse-reader");
    reader.setDaemon(true);
    reader.start();
  }

  static SseClient open(String url, String token) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream");
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    return new SseClient(client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream()));
  }

  private void read() {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        lines.add(line);
      }
    } catch (IOException e) {
      // closed by the test
    }
  }

  /** The next line matching {@code p} within {@code ms}, or null. */
  String awaitLine(Predicate<String> p, long ms) throws InterruptedException {
    long deadline = System.currentTimeMillis() + ms;
    while (true) {
      long left = deadline - System.currentTimeMillis();
      if (left <= 0) {
        return null;
      }
      String line = lines.poll(left, TimeUnit.MILLISECONDS);
      if (line != null && p.test(line)) {
        return line;
      }
    }
  }

  /** The next event whose JSON matches {@code p} within {@code ms}, or null. */
  JsonObject awaitEvent(Predicate<JsonObject> p, long ms) throws InterruptedException {
    String line = awaitLine(l -> l.startsWith("data: ") && p.test(new JsonObject(l.substring(6))), ms);
    return line == null ? null : new JsonObject(line.substring(6));
  }

  @Override
  public void close() throws IOException {
    body.close();
  }
}
