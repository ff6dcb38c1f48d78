package dev.beach;

import io.vertx.core.Future;
import io.vertx.core.streams.ReadStream;

import java.util.List;

/**
 * A caller's view of a category (and its sub-categories) or of one actor. Callers name what, never where:
 * the handle picks an actor from the live directory per request. Handles are immutable and cheap; the
 * {@code with*}/mode methods return new ones.
 */
public interface ActorHandle {

  String realm();

  /** The category reached, or null for a handle on one actor ({@link Beach#actor}). */
  String category();

  HandleOptions options();

  ActorHandle withOptions(HandleOptions options);

  ActorHandle withTimeout(long timeoutMs);

  ActorHandle withRetries(int retries);

  /** Random actor per request (the default). */
  ActorHandle random();

  /** An actor on this node when there is one. */
  ActorHandle local();

  /** Requests with this key go to the actor chosen by rendezvous hashing; adding an actor moves ~1/N keys. */
  ActorHandle affinity(String key);

  /**
   * Sends a request and completes with the reply body. Retries on {@link ErrorCode#TIMEOUT},
   * {@link ErrorCode#NO_ACTORS} and node loss keep the same request id; application failures return at once.
   */
  <T> Future<T> request(String op, Object body);

  /** Fire and forget: completes once the request was handed to the chosen actor's node. */
  Future<Void> shoot(String op, Object body);

  /** Every reached actor gets the request; no replies. Completes with the number of actors targeted. */
  Future<Integer> broadcast(String op, Object body);

  /** Every reached actor gets the request; completes with each one's outcome (partial results, never lost). */
  Future<List<ActorReply>> requestAll(String op, Object body);

  /** A streamed answer, read with back-pressure ({@code pause}/{@code resume}/{@code fetch}). */
  <T> ReadStream<T> requestStream(String op, Object body);

  /** The actors this handle reaches now, from the node's directory cache. */
  List<ActorInfo> actors();

  /** Whether at least one actor is reachable now. */
  default boolean available() {
    return !actors().isEmpty();
  }
}
