package dev.beach.bench;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * Blocking JSON calls to a node's gateway, as a client in another language would make them, for the scenarios that
 * drive {@code beach node} processes. A call never throws for what the network or the node did: its {@link Answer}
 * says what happened and how long it took, as the client saw it.
 */
final class HttpCalls {

  /** What a call gave: the HTTP status, or 0 when none came ({@link #failure} says why), the body, the time taken. */
  record Answer(int status, String body, String failure, long elapsedMs) {

    boolean ok() {
      return status >= 200 && status < 300;
    }

    /**
     * How the call ended, for counting: {@code "200"}, {@code "504 TIMEOUT"} (status and the error's code name,
     * when the body is a Beach error), or a transport failure such as {@code "client timeout"} or
     * {@code "ConnectException"}.
     */
    String outcome() {
      if (status == 0) {
        return failure;
      }
      if (ok()) {
        return Integer.toString(status);
      }
      String name = errorName(body);
      return name == null ? Integer.toString(status) : status + " " + name;
    }
  }

  static final String CLIENT_TIMEOUT = "client timeout";

  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
    .connectTimeout(Duration.ofSeconds(5)).build();

  HttpClient client() {
    return client;
  }

  Answer get(String url, Duration clientTimeout) {
    return send(HttpRequest.newBuilder(URI.create(url)).timeout(clientTimeout).GET().build());
  }

  Answer post(String url, JsonObject body, Duration clientTimeout) {
    return send(HttpRequest.newBuilder(URI.create(url)).timeout(clientTimeout).header("Content-Type", "application/json")
      .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build());
  }

  Answer put(String url, JsonObject body, Duration clientTimeout) {
    return send(HttpRequest.newBuilder(URI.create(url)).timeout(clientTimeout).header("Content-Type", "application/json")
      .PUT(HttpRequest.BodyPublishers.ofString(body.encode())).build());
  }

  Answer delete(String url, Duration clientTimeout) {
    return send(HttpRequest.newBuilder(URI.create(url)).timeout(clientTimeout).DELETE().build());
  }

  private Answer send(HttpRequest request) {
    long t0 = System.nanoTime();
    try {
      HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
      return new Answer(r.statusCode(), r.body(), null, msSince(t0));
    } catch (HttpTimeoutException e) {
      return new Answer(0, "", CLIENT_TIMEOUT, msSince(t0));
    } catch (IOException e) {
      return new Answer(0, "", transportFailure(e), msSince(t0));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer(0, "", "interrupted", msSince(t0));
    }
  }

  /** A transport failure's name for counting: the exception's simple class name (its message varies with ports). */
  static String transportFailure(Throwable e) {
    return e instanceof HttpTimeoutException ? CLIENT_TIMEOUT : e.getClass().getSimpleName();
  }

  /** The {@code error.code} of a Beach error body as its name ({@code TIMEOUT}), or null. */
  static String errorName(String body) {
    try {
      JsonObject error = new JsonObject(body).getJsonObject("error");
      Object code = error == null ? null : error.getValue("code");
      if (code instanceof Number) {
        for (dev.beach.ErrorCode c : dev.beach.ErrorCode.values()) {
          if (c.code() == ((Number) code).intValue()) {
            return c.name();
          }
        }
      }
      return null;
    } catch (DecodeException | ClassCastException e) {
      return null;
    }
  }

  static long msSince(long t0) {
    return (System.nanoTime() - t0) / 1_000_000;
  }
}
