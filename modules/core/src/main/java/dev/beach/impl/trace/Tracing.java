package dev.beach.impl.trace;

/**
 * Where the runtime starts its spans. One instance per node, given by constructor to the parts that trace
 * (the caller side and the actor cells).
 */
public interface Tracing {

  /** Tracing off: every method returns {@link TraceSpan#NONE}, nothing is allocated per request. */
  Tracing OFF = new Tracing() {
    @Override
    public Object current() {
      return null;
    }

    @Override
    public TraceSpan client(Object parent, String kind, String realm, String category, String op, String actor, String node,
                            String requestId, int attempt) {
      return TraceSpan.NONE;
    }

    @Override
    public TraceSpan server(String traceparent, String tracestate, String realm, String category, String op,
                            String actor, String node, String requestId) {
      return TraceSpan.NONE;
    }

    @Override
    public String toString() {
      return "tracing off";
    }
  };

  /**
   * What is current on this thread, to parent spans started later on another (a retry runs from a timer).
   * Returns an object that already exists: taking it allocates nothing.
   */
  Object current();

  /**
   * A span for one attempt of a call this node makes.
   *
   * @param parent what {@link #current()} returned when the call was made
   * @param kind {@code request}, {@code shoot} or {@code requestAll}: the first word of the span's name
   */
  TraceSpan client(Object parent, String kind, String realm, String category, String op, String actor, String node, String requestId,
                   int attempt);

  /**
   * A span around an actor's handling of a request, child of the caller's span that {@code traceparent} names
   * (a new trace, sampled by the sampler, when the caller sent none).
   */
  TraceSpan server(String traceparent, String tracestate, String realm, String category, String op, String actor,
                   String node, String requestId);
}
