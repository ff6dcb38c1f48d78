package dev.beach.impl;

import dev.beach.control.NodeServiceVertxProxyHandler;
import dev.beach.impl.hosting.Routes;
import dev.beach.impl.stream.Streams;
import dev.beach.impl.transport.Coalescer;
import dev.beach.impl.transport.Envelope;
import dev.beach.impl.transport.Headers;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

/**
 * Sorts what arrives at a node's own addresses ({@code beach._node.<id>} and its lanes): control-plane calls go
 * to the service proxy handler, envelopes to the coalescer, stream frames to the stream endpoints, and single
 * requests (with an {@code actor} header) to that actor.
 */
final class NodeEndpoint {

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
}
