package dev.beach.impl.trace;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.spi.context.storage.ContextLocal;

/**
 * Where a trace context waits for the callbacks of the work it belongs to. OpenTelemetry's own current context is a
 * thread-local: it holds while a handler runs, and is gone when a timer it set fires or a reply it waits for comes.
 * So the work runs on a Vert.x context of its own (a duplicate of the actor's, the HTTP request's, a job's), and the
 * trace context is kept in that context's local storage: everything that runs on it later (timers, future
 * callbacks, which Vert.x dispatches on the context they were registered from) finds it there.
 * <p>
 * The slot must exist before a Vert.x instance is built (each instance sizes its contexts' storage then):
 * {@link TraceContextsLoader}, a Vert.x service provider, loads this class while Vert.x boots. A Vert.x built before
 * (by another class loader) has no slot: holding there fails softly and calls fall back to the thread-local.
 */
public final class TraceContexts {

  private static final ContextLocal<Context> HELD = ContextLocal.registerLocal(Context.class);

  /**
   * Marks a context Beach itself made current on the thread (the server span around a handler): the span under
   * this key is the one Beach put there. An application's span made current on top of it is not marked.
   */
  private static final ContextKey<Span> BEACH_SCOPE = ContextKey.named("beach.scope");

  private TraceContexts() {
  }

  /**
   * What a call made now takes as its parent. The thread's current context when an application made one current
   * (its own span: its calls are that span's children); else the one the current Vert.x context holds; else the
   * thread's (root, or a scope Beach opened). Beach's own scopes give way to the Vert.x context's hold because a
   * callback of another context may run nested inside one (a local reply completes the caller's future at once).
   */
  public static Context current() {
    Context thread = Context.current();
    if (thread != Context.root() && !isBeachScope(thread)) {
      return thread;
    }
    Context held = held(Vertx.currentContext());
    return held != null ? held : thread;
  }

  /** The trace context {@code ctx} holds, or null. */
  public static Context held(io.vertx.core.Context ctx) {
    if (ctx == null) {
      return null;
    }
    try {
      return ((ContextInternal) ctx).getLocal(HELD);
    } catch (IllegalArgumentException noSlot) {
      return null;
    }
  }

  /**
   * Keeps {@code trace} in {@code ctx} for what runs on it later. The caller must own {@code ctx}: a duplicate made
   * for the work, or a context made for it alone (a job's); holding in a shared one would parent strangers' calls.
   *
   * @return false when this Vert.x has no slot for it (see the class comment)
   */
  public static boolean hold(io.vertx.core.Context ctx, Context trace) {
    try {
      ((ContextInternal) ctx).putLocal(HELD, trace);
      return true;
    } catch (IllegalArgumentException noSlot) {
      return false;
    }
  }

  /** {@code trace} marked as a scope Beach opens on the thread (see {@link #current()}). */
  static Context beachScope(Context trace) {
    return trace.with(BEACH_SCOPE, Span.fromContext(trace));
  }

  private static boolean isBeachScope(Context thread) {
    Span marked = thread.get(BEACH_SCOPE);
    return marked != null && marked == Span.fromContext(thread);
  }

  /** The trace id the current Vert.x context holds, for log lines written from a callback; null when none. */
  public static String heldTraceId() {
    Context held = held(Vertx.currentContext());
    if (held == null) {
      return null;
    }
    io.opentelemetry.api.trace.SpanContext sc = Span.fromContext(held).getSpanContext();
    return sc.isValid() ? sc.getTraceId() : null;
  }
}
