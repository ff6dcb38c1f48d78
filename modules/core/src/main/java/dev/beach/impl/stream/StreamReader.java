package dev.beach.impl.stream;

import dev.beach.BeachException;
import dev.beach.ErrorCode;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;

import java.util.ArrayDeque;

/**
 * The caller's end of a streamed reply. All state lives on the caller's context; credit goes back to the
 * producer only as items are consumed, so {@link #pause()} really stops the producer.
 */
final class StreamReader<T> implements ReadStream<T> {

  private final Streams streams;
  private final String streamId;
  private final String producerNode;
  private final Context context;
  private final ArrayDeque<Object> buffer = new ArrayDeque<>();
  private long demand = Long.MAX_VALUE;
  private int outstanding;
  private long expectedSeq;
  private boolean ended;
  private boolean done;
  private Throwable failure;
  private Handler<T> handler;
  private Handler<Void> endHandler;
  private Handler<Throwable> exceptionHandler;

  StreamReader(Streams streams, String streamId, String producerNode, Context context) {
    this.streams = streams;
    this.streamId = streamId;
    this.producerNode = producerNode;
    this.context = context;
  }

  String producerNode() {
    return producerNode;
  }

  void granted(int credits) {
    outstanding += credits;
  }

  void onFrame(String frame, long seq, Object body) {
    context.runOnContext(v -> {
      if (done) {
        return;
      }
      if (seq != expectedSeq) {
        violation("lost frames: expected #" + expectedSeq + ", got #" + seq);
        return;
      }
      expectedSeq++;
      switch (frame) {
        case Streams.ITEM:
          if (outstanding <= 0) {
            // Buffering it would make the credit a wish: a producer that ignores it could fill this node's memory.
            violation("item #" + seq + " came without credit: the producer on node " + producerNode
              + " sent more items than the reader granted");
            return;
          }
          outstanding--;
          buffer.add(body == null ? NULL : body);
          break;
        case Streams.END:
          ended = true;
          break;
        default:
          failNow(BeachException.fromJson(body instanceof JsonObject ? (JsonObject) body : new JsonObject()));
          return;
      }
      drain();
    });
  }

  private static final Object NULL = new Object();

  /**
   * The producer broke the stream protocol: the stream fails here with a typed error (500, as for any answer the
   * actor's side got wrong) and the producer is told to stop, so its request ends instead of waiting for credit.
   */
  private void violation(String what) {
    if (producerNode != null) {
      streams.sendToProducer(producerNode, streamId, Streams.CANCEL, null);
    }
    failNow(new BeachException(ErrorCode.ACTOR_FAILED, "stream " + streamId + " " + what));
  }

  /** A plain (non-streamed) reply: deliver it as the only item. */
  void single(Object value) {
    context.runOnContext(v -> {
      if (!done) {
        buffer.add(value == null ? NULL : value);
        ended = true;
        drain();
      }
    });
  }

  void fail(Throwable t) {
    context.runOnContext(v -> failNow(t));
  }

  private void failNow(Throwable t) {
    if (done) {
      return;
    }
    done = true;
    streams.readerDone(streamId);
    failure = t;
    if (exceptionHandler != null) {
      exceptionHandler.handle(t);
    }
  }

  @SuppressWarnings("unchecked")
  private void drain() {
    while (!done && demand > 0 && handler != null && !buffer.isEmpty()) {
      Object item = buffer.poll();
      if (demand != Long.MAX_VALUE) {
        demand--;
      }
      handler.handle(item == NULL ? null : (T) item);
    }
    if (!done && ended && buffer.isEmpty()) {
      done = true;
      streams.readerDone(streamId);
      if (endHandler != null) {
        endHandler.handle(null);
      }
      return;
    }
    grant();
  }

  private void grant() {
    if (done || ended || demand == 0 || producerNode == null) {
      return;
    }
    int inUse = outstanding + buffer.size();
    if (inUse <= Streams.WINDOW / 2) {
      int more = Streams.WINDOW - inUse;
      outstanding += more;
      streams.sendToProducer(producerNode, streamId, Streams.CREDIT, more);
    }
  }

  @Override
  public ReadStream<T> exceptionHandler(Handler<Throwable> h) {
    this.exceptionHandler = h;
    if (h != null && failure != null) {
      Throwable t = failure;
      context.runOnContext(v -> h.handle(t));
    }
    return this;
  }

  @Override
  public ReadStream<T> handler(Handler<T> h) {
    this.handler = h;
    context.runOnContext(v -> drain());
    return this;
  }

  @Override
  public ReadStream<T> pause() {
    demand = 0;
    return this;
  }

  @Override
  public ReadStream<T> resume() {
    demand = Long.MAX_VALUE;
    context.runOnContext(v -> drain());
    return this;
  }

  @Override
  public ReadStream<T> fetch(long amount) {
    demand = demand == Long.MAX_VALUE ? demand : Math.min(Long.MAX_VALUE - 1, demand + amount);
    context.runOnContext(v -> drain());
    return this;
  }

  @Override
  public ReadStream<T> endHandler(Handler<Void> h) {
    this.endHandler = h;
    return this;
  }
}
