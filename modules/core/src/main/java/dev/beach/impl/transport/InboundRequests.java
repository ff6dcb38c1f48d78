package dev.beach.impl.transport;

/** Where requests that arrive in envelopes (on a link or the bus) go: this node's actors. */
@FunctionalInterface
public interface InboundRequests {

  /** Delivers {@code frame} to its actor; the answer goes to {@code responder}. */
  void deliver(Envelope.Frame frame, Responder responder);
}
