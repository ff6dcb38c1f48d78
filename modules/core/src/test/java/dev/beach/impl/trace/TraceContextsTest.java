package dev.beach.impl.trace;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which trace context a call takes as its parent: the Vert.x context's hold, the thread's, and who wins. */
class TraceContextsTest {

  private static Context span(String spanId) {
    return Context.root().with(Span.wrap(SpanContext.create("0af7651916cd43dd8448eb211c80319c", spanId,
      TraceFlags.getSampled(), TraceState.getDefault())));
  }

  @Test
  void theHeldContextServesCallbacksAndGivesWayOnlyToAnApplicationsScope() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Context request = span("00f067aa0ba902b7");
      Context nestedBeachScope = span("00f067aa0ba902b8");
      Context applicationSpan = span("00f067aa0ba902b9");
      ContextInternal duplicate = ((VertxInternal) vertx).createEventLoopContext().duplicate();
      CompletableFuture<Context[]> seen = new CompletableFuture<>();
      duplicate.runOnContext(v -> {
        assertTrue(TraceContexts.hold(duplicate, request));
        Context plain = TraceContexts.current();
        Context underBeach;
        // A callback of this context running nested inside another request's handler (a local reply completes the
        // caller's future at once): the thread holds that handler's scope, which must not become the parent here.
        Scope beach = TraceContexts.beachScope(nestedBeachScope).makeCurrent();
        try {
          underBeach = TraceContexts.current();
        } finally {
          beach.close();
        }
        Context underApplication;
        Scope application = applicationSpan.makeCurrent();
        try {
          underApplication = TraceContexts.current();
        } finally {
          application.close();
        }
        seen.complete(new Context[]{plain, underBeach, underApplication});
      });
      Context[] s = seen.get(10, TimeUnit.SECONDS);
      assertSame(request, s[0], "a callback on the context takes what it holds");
      assertSame(request, s[1], "Beach's own scope of another request gives way to the hold");
      assertSame(applicationSpan, s[2], "a span the application made current wins");
      assertNull(TraceContexts.held(null));
      assertEquals(Context.root(), TraceContexts.current(), "off Vert.x, with nothing current");
    } finally {
      vertx.close().await();
    }
  }
}
