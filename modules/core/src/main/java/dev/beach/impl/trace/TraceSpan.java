package dev.beach.impl.trace;

/**
 * One span Beach started, as the runtime sees it: the context it hands on (W3C {@code traceparent} and
 * {@code tracestate}), a scope that makes it current while a handler runs, and its end. {@link #NONE} when
 * tracing is off or the request is not sampled: a shared constant, so an untraced request allocates nothing.
 */
public interface TraceSpan {

  TraceSpan NONE = new TraceSpan() {
  };

  /** The W3C {@code traceparent} to send with the request, or null when there is nothing to carry. */
  default String traceparent() {
    return null;
  }

  /** The W3C {@code tracestate}, or null. */
  default String tracestate() {
    return null;
  }

  /**
   * Makes this span the current one on this thread, and puts its trace id in the MDC ({@code trace_id}), until
   * the scope closes: calls a handler makes while it runs become children, its log lines carry the trace id.
   */
  default Scope enter() {
    return Scope.NONE;
  }

  /**
   * Like {@link #enter()}, and runs what follows on a duplicate of {@code on} (the actor's context) that holds this
   * span ({@link TraceContexts}) until the scope closes: timers set and calls made from here call back on that
   * duplicate, so a call made from a callback is still this span's child. {@code on} null: {@link #enter()}.
   */
  default Scope enter(io.vertx.core.Context on) {
    return enter();
  }

  /** Ends the span; {@code errorCode} is 0 for success, else the failure's code (marks the span as an error). */
  default void end(int errorCode, String errorMessage) {
  }

  /** A span made current; closing restores what was current before. Never throws. */
  interface Scope extends AutoCloseable {
    Scope NONE = () -> { };

    @Override
    void close();
  }
}
