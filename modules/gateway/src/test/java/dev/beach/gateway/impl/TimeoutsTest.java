package dev.beach.gateway.impl;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link Timeouts#answerBy}: the dispatch route's backstop against a handle that never answers. The sweep is run
 * by hand at chosen times, so nothing here waits on a clock.
 */
class TimeoutsTest {

  private Vertx vertx;
  private ContextInternal context;
  private Timeouts timeouts;
  private HttpServer server;
  private HttpClient client;
  private final AtomicInteger late = new AtomicInteger();
  private final AtomicLong deadline = new AtomicLong();
  private volatile CompletableFuture<HttpServerRequest> arrived = new CompletableFuture<>();
  /** Whether the route answers at once (true) or leaves the request to its guard (false). */
  private volatile boolean answers;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    context = ((VertxInternal) vertx).createEventLoopContext();
    // Long connection timeouts: only the answer deadline is under test.
    timeouts = new Timeouts(vertx, 60_000, 60_000);
    CompletableFuture<HttpServer> listening = new CompletableFuture<>();
    // The route sees vertx-web's wrapper of the request, as the gateway's dispatch route does.
    Router router = Router.router(vertx);
    router.route().handler(ctx -> {
      HttpServerRequest request = ctx.request();
      long by = System.currentTimeMillis() + 1_000;
      deadline.set(by);
      timeouts.answerBy(request, by, () -> {
        late.incrementAndGet();
        ctx.response().setStatusCode(504).end("late");
      });
      if (answers) {
        ctx.response().end("ok");
      }
      arrived.complete(request);
    });
    context.runOnContext(v -> vertx.createHttpServer()
      .connectionHandler(timeouts::connected)
      .requestHandler(request -> {
        timeouts.started(request);
        router.handle(request);
      })
      .listen(0, "127.0.0.1")
      .onComplete(ar -> {
        if (ar.succeeded()) {
          listening.complete(ar.result());
        } else {
          listening.completeExceptionally(ar.cause());
        }
      }));
    server = listening.get(10, TimeUnit.SECONDS);
    client = vertx.createHttpClient();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void anUnansweredRequestIsAnsweredByItsGuardOnceOverdue() throws Exception {
    answers = false;
    Future<HttpClientResponse> response = send();
    awaitRequest();
    sweep(deadline.get() - 1);
    assertEquals(0, late.get(), "the guard ran before its deadline");
    sweep(deadline.get());
    assertEquals(504, get(response).statusCode());
    assertEquals(1, late.get());
    sweep(deadline.get() + 60_000);
    assertEquals(1, late.get(), "the guard ran twice");
  }

  @Test
  void anAnsweredRequestNeverRunsItsGuard() throws Exception {
    answers = true;
    assertEquals(200, get(send()).statusCode());
    sweep(deadline.get() + 10_000);
    assertEquals(0, late.get(), "the guard ran for a request that was answered");
  }

  private Future<HttpClientResponse> send() {
    arrived = new CompletableFuture<>();
    return client.request(HttpMethod.GET, server.actualPort(), "127.0.0.1", "/")
      .compose(r -> r.send());
  }

  private void awaitRequest() throws Exception {
    arrived.get(10, TimeUnit.SECONDS);
  }

  private void sweep(long now) throws Exception {
    onContext(() -> timeouts.sweep(now));
  }

  private void onContext(Runnable action) throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    context.runOnContext(v -> {
      action.run();
      done.complete(null);
    });
    done.get(10, TimeUnit.SECONDS);
  }

  private static HttpClientResponse get(Future<HttpClientResponse> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
