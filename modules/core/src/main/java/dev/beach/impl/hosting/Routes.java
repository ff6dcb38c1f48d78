package dev.beach.impl.hosting;

import dev.beach.Address;
import dev.beach.BeachException;
import dev.beach.ErrorCode;
import dev.beach.ReplyStream;
import dev.beach.impl.stream.Streams;
import dev.beach.impl.transport.Envelope;
import dev.beach.impl.transport.Headers;
import dev.beach.impl.transport.InboundRequests;
import dev.beach.impl.transport.Responder;
import dev.beach.impl.transport.StreamOwner;
import dev.beach.impl.transport.WireValues;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How messages reach this node's actors:
 * <ul>
 *   <li>{@code beach._node.<id>} with an {@code actor} header: what Beach handles send (the caller picked the actor);</li>
 *   <li>{@code beach.<realm>.<category>}: one clustered consumer per hosted (realm, category prefix), shared by
 *   every local actor it reaches; a send goes to the least busy of two random local actors, a publish to all;</li>
 *   <li>{@code beach.<realm>.@<actorId>}: a local consumer per actor, for plain Vert.x callers on this node.</li>
 * </ul>
 */
public final class Routes implements InboundRequests {

  private final Vertx vertx;
  private final ContextInternal context;
  private final String nodeId;
  private final Cells cells;
  private final Streams streams;
  private final ConcurrentHashMap<String, Binding> bindings = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, MessageConsumer<Object>> actorConsumers = new ConcurrentHashMap<>();

  /** One clustered category consumer and the local actors behind it. */
  private final class Binding {
    final String address;
    final CellSet cells = new CellSet();
    final Future<Void> ready;
    volatile MessageConsumer<Object> consumer;

    Binding(String address) {
      this.address = address;
      Promise<MessageConsumer<Object>> created = Promise.promise();
      context.runOnContext(v -> created.complete(vertx.eventBus().consumer(address, this::onMessage)));
      // Registered on the node's context, so routing never runs on (and never blocks) an actor's loop.
      this.ready = created.future().compose(c -> {
        consumer = c;
        return c.completion();
      });
    }

    void onMessage(Message<Object> msg) {
      if (msg.isSend()) {
        ActorCell cell = cells.pick();
        if (cell == null) {
          fail(msg, new BeachException(ErrorCode.NO_ACTORS, "no actor left behind " + address + " on node " + nodeId));
        } else {
          deliver(cell, msg, msg.body());
        }
      } else {
        for (ActorCell cell : cells.snapshot()) {
          deliver(cell, msg, WireValues.copy(msg.body()));
        }
      }
    }
  }

  /**
   * @param context the node's own context: category consumers are registered there, so routing never runs on
   *                (and never blocks) an actor's loop
   */
  public Routes(Vertx vertx, ContextInternal context, String nodeId, Cells cells, Streams streams) {
    this.vertx = vertx;
    this.context = context;
    this.nodeId = nodeId;
    this.cells = cells;
    this.streams = streams;
  }

  /** Makes a started actor reachable: its own local address and every category prefix it serves. */
  Future<Void> bind(ActorCell cell) {
    String actorAddress = Address.actor(cell.realm(), cell.id());
    actorConsumers.put(cell.id(), vertx.eventBus().localConsumer(actorAddress,
      msg -> deliver(cell, msg, msg.body())));
    List<Future<Void>> ready = new ArrayList<>(2);
    for (String category : cell.categories()) {
      for (String prefix : Address.prefixes(category)) {
        String address = Address.category(cell.realm(), prefix);
        Binding binding;
        synchronized (this) {
          binding = bindings.computeIfAbsent(address, Binding::new);
          binding.cells.add(cell);
        }
        if (!binding.ready.isComplete()) {
          ready.add(binding.ready);
        }
      }
    }
    return ready.isEmpty() ? Future.succeededFuture() : Future.all(ready).mapEmpty();
  }

  /** Takes a stopping actor off every address; a category consumer with no actor left is unregistered. */
  void unbind(ActorCell cell) {
    MessageConsumer<Object> own = actorConsumers.remove(cell.id());
    if (own != null) {
      own.unregister();
    }
    for (String category : cell.categories()) {
      for (String prefix : Address.prefixes(category)) {
        String address = Address.category(cell.realm(), prefix);
        synchronized (this) {
          Binding binding = bindings.get(address);
          if (binding != null && binding.cells.remove(cell) && binding.cells.isEmpty()) {
            bindings.remove(address);
            binding.ready.onComplete(ar -> {
              if (binding.consumer != null) {
                binding.consumer.unregister();
              }
            });
          }
        }
      }
    }
  }

  /** A message at the node address for one actor, picked by the caller. */
  public void routeToActor(Message<Object> msg) {
    String actorId = msg.headers().get(Headers.ACTOR);
    ActorCell cell = actorId == null ? null : cells.get(actorId);
    if (cell == null || cell.isStopped()) {
      if (msg.headers().contains(Headers.CATEGORY)) {
        // The caller's directory was stale: 503 is retryable, so its handle picks another actor.
        fail(msg, new BeachException(ErrorCode.NO_ACTORS, "actor " + actorId + " is no longer on node " + nodeId));
      } else {
        fail(msg, new BeachException(ErrorCode.NOT_FOUND, "no actor " + actorId + " on node " + nodeId));
      }
      return;
    }
    deliver(cell, msg, msg.body());
  }

  /** A request that arrived in an {@link Envelope}, on the bus or a link; answered through {@code responder}. */
  @Override
  public void deliver(Envelope.Frame f, Responder responder) {
    ActorCell cell = f.actor == null ? null : cells.get(f.actor);
    if (cell == null || cell.isStopped()) {
      responder.fail(f.category != null
        ? new BeachException(ErrorCode.NO_ACTORS, "actor " + f.actor + " is no longer on node " + nodeId)
        : new BeachException(ErrorCode.NOT_FOUND, "no actor " + f.actor + " on node " + nodeId));
      return;
    }
    cell.deliver(new RequestImpl(f.op, f.id, f.ident, f.key, f.deadline, f.body, responder)
      .traced(f.traceparent, f.tracestate));
  }

  private void deliver(ActorCell cell, Message<Object> msg, Object body) {
    String op = msg.headers().get(Headers.OP);
    if (op == null) {
      fail(msg, new BeachException(ErrorCode.BAD_REQUEST, "message has no 'op' header: set DeliveryOptions.addHeader(\"op\", ...)"));
      return;
    }
    MessageResponder responder = new MessageResponder(msg);
    RequestImpl request = new RequestImpl(op, msg.headers().get(Headers.ID), msg.headers().get(Headers.IDENT),
      msg.headers().get(Headers.KEY), Headers.parseLong(msg.headers().get(Headers.DEADLINE)), body, responder)
      .traced(msg.headers().get(Headers.TRACEPARENT), msg.headers().get(Headers.TRACESTATE));
    cell.deliver(request);
  }

  static void fail(Message<?> msg, BeachException error) {
    if (msg.replyAddress() != null) {
      msg.fail(error.code().code(), error.wireMessage());
    }
  }

  public Future<Void> close() {
    List<Future<Void>> all = new ArrayList<>();
    bindings.values().forEach(b -> {
      if (b.consumer != null) {
        all.add(b.consumer.unregister());
      }
    });
    actorConsumers.values().forEach(c -> all.add(c.unregister()));
    actorConsumers.clear();
    bindings.clear();
    return Future.join(all).mapEmpty();
  }

  /** Answers through the event bus: replies as bodies, failures as JSON {@link BeachException}s. */
  final class MessageResponder implements Responder {
    private final Message<Object> msg;

    MessageResponder(Message<Object> msg) {
      this.msg = msg;
    }

    @Override
    public void reply(Object value) {
      msg.reply(value);
    }

    @Override
    public void fail(BeachException error) {
      Routes.fail(msg, error);
    }

    @Override
    public ReplyStream openStream(StreamOwner request) {
      String streamId = msg.headers().get(Headers.STREAM);
      if (streamId == null) {
        return Responder.super.openStream(request);
      }
      return streams.openWriter(request, msg, streamId);
    }
  }
}
