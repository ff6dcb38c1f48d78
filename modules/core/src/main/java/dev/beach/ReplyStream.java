package dev.beach;

import io.vertx.core.Future;
import io.vertx.core.streams.WriteStream;

/**
 * The writing end of a streamed reply. {@link #writeQueueFull()} turns true when the caller has not granted
 * credit for more items; {@link #drainHandler} is called when it does. {@code write} futures complete when
 * the item was handed to the event bus.
 */
public interface ReplyStream extends WriteStream<Object> {

  /** Ends the stream with a typed failure the caller's exception handler receives. */
  Future<Void> fail(Throwable cause);
}
