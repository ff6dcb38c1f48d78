package dev.beach.impl.transport;

import dev.beach.BeachException;
import dev.beach.ErrorCode;
import dev.beach.ReplyStream;

/**
 * Where the answer to one request goes: an event-bus message, a link or bus envelope, a local caller's promise,
 * or one item of a batch. Called at most once, from any thread.
 */
public interface Responder {

  void reply(Object value);

  void fail(BeachException error);

  /** The stream to write a streamed answer to, or a failure when the caller did not ask for one. */
  default ReplyStream openStream(StreamOwner request) {
    throw new BeachException(ErrorCode.BAD_REQUEST,
      "op '" + request.op() + "' answers with a stream: call it with requestStream");
  }
}
