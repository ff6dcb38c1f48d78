package dev.beach.impl.transport;

import dev.beach.BeachException;

/** The request a streamed answer belongs to, as the stream's writer sees it. */
public interface StreamOwner {

  String op();

  /** Runs {@code task} on the answering actor's context (credit must not race the actor's own writes). */
  void runOnActor(Runnable task);

  /** The stream ended (normally when {@code error} is null): the request counts as answered. */
  void streamEnded(BeachException error);
}
