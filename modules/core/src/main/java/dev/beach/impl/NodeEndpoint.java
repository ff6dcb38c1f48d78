package dev.beach.impl;

import dev.beach.BeachException;
import dev.beach.ErrorCode;
import dev.beach.control.NodeServiceVertxProxyHandler;
import dev.beach.impl.hosting.Routes;
import dev.beach.impl.stream.Streams;
import dev.beach.impl.transport.Coalescer;
import dev.beach.impl.transport.Envelope;
import dev.beach.impl.transport.Headers;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sorts what arrives at a node's own addresses ({@code beach._node.<id>} and its lanes): control-plane calls go
 * to the service proxy handler, envelopes to the coalescer, stream frames to the stream endpoints, and single
 * requests (with an {@code actor} header) to that actor.
 * <p>
 * A clustered message's body is decoded when first read, here: one that cannot be decoded (a malformed
 * {@link Envelope}, broken JSON) is dropped with one warning and, if its sender waits, answered 400 at once.
 * Left to Vert.x, it would log a stack trace per message and leave the sender to time out.
 */
final class NodeEndpoint {

  private static final Logger LOG = LoggerFactory.getLogger(NodeEndpoint.class);

  private final NodeServiceVertxProxyHandler control;
  private final Coalescer coalescer;
  private final Streams streams;
  private final Routes routes;

  NodeEndpoint(NodeServiceVertxProxyHandler control, Coalescer coalescer, Streams streams, Routes routes) {
    this.control = control;
    this.coalescer = coalescer;
    this.streams = streams;
    this.routes = routes;
  }

  void handle(Message<Object> msg) {
    if (!readable(msg)) {
      return;
    }
    if (msg.headers().get(Headers.ACTION) != null) {
      @SuppressWarnings({"unchecked", "rawtypes"})
      Message<JsonObject> call = (Message) msg;
      control.handle(call);
    } else if (msg.body() instanceof Envelope) {
      coalescer.onEnvelope(msg);
    } else if (msg.headers().contains(Headers.FRAME)) {
      streams.onFrame(msg);
    } else {
      routes.routeToActor(msg);
    }
  }

  /** Decodes the body; false (and the message answered or dropped) when it cannot be. */
  private static boolean readable(Message<Object> msg) {
    try {
      msg.body();
      return true;
    } catch (RuntimeException e) {
      LOG.warn("dropped an unreadable message to {}: {}", msg.address(), e.getMessage());
      if (msg.replyAddress() != null) {
        BeachException error = new BeachException(ErrorCode.BAD_REQUEST, "unreadable message: " + e.getMessage());
        msg.fail(error.code().code(), error.wireMessage());
      }
      return false;
    }
  }
}
