package dev.beach.impl.stream;

import dev.beach.BeachException;
import dev.beach.ErrorCode;
import dev.beach.ReplyStream;
import dev.beach.impl.transport.StreamOwner;
import dev.beach.impl.transport.WireValues;
import io.vertx.core.Future;
import io.vertx.core.Handler;

import java.util.ArrayDeque;

/** The actor's end of a streamed reply: sends only what the caller granted, queues the rest. */
final class StreamWriter implements ReplyStream {

  private final Streams streams;
  private final StreamOwner request;
  private final String callerNode;
  private final String streamId;
  private final ArrayDeque<Object> queue = new ArrayDeque<>();
  private int credits;
  private int maxQueue = Streams.WINDOW;
  private long seq;
  private boolean ending;
  private boolean closed;
  private Handler<Void> drainHandler;
  private Handler<Throwable> exceptionHandler;

  StreamWriter(Streams streams, StreamOwner request, String callerNode, String streamId, int credits) {
    this.streams = streams;
    this.request = request;
    this.callerNode = callerNode;
    this.streamId = streamId;
    this.credits = credits;
  }

  void runOnActor(Runnable task) {
    request.runOnActor(task);
  }

  String callerNode() {
    return callerNode;
  }

  @Override
  public synchronized ReplyStream exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    return this;
  }

  @Override
  public Future<Void> write(Object data) {
    if (!WireValues.isWireValue(data)) {
      return Future.failedFuture(new BeachException(ErrorCode.ACTOR_FAILED,
        "stream items must be JSON values or a Buffer, not " + WireValues.describe(data)));
    }
    synchronized (this) {
      if (closed || ending) {
        return Future.failedFuture(new BeachException(ErrorCode.CONFLICT, "stream " + streamId + " is closed"));
      }
      queue.add(data);
      pump();
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> end() {
    synchronized (this) {
      if (closed) {
        return Future.succeededFuture();
      }
      ending = true;
      pump();
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> fail(Throwable cause) {
    BeachException e;
    synchronized (this) {
      if (closed) {
        return Future.succeededFuture();
      }
      closed = true;
      queue.clear();
      e = BeachException.from(cause);
      streams.sendToCaller(callerNode, streamId, Streams.ERROR, seq++, Streams.errorBody(e));
      streams.writerDone(callerNode, streamId);
    }
    request.streamEnded(e);
    return Future.succeededFuture();
  }

  /** Sends queued items while credit lasts; ends once an ended stream's queue is empty. Holds the lock. */
  private void pump() {
    while (credits > 0 && !queue.isEmpty()) {
      credits--;
      streams.sendToCaller(callerNode, streamId, Streams.ITEM, seq++, queue.poll());
    }
    if (ending && queue.isEmpty() && !closed) {
      closed = true;
      streams.sendToCaller(callerNode, streamId, Streams.END, seq++, null);
      streams.writerDone(callerNode, streamId);
      request.streamEnded(null);
    }
  }

  void onCredit(int granted) {
    Handler<Void> drain;
    synchronized (this) {
      credits += Math.max(0, granted);
      pump();
      drain = !closed && !writeQueueFull() ? drainHandler : null;
    }
    if (drain != null) {
      drain.handle(null);
    }
  }

  void onCancel() {
    Handler<Throwable> handler;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      queue.clear();
      streams.writerDone(callerNode, streamId);
      handler = exceptionHandler;
    }
    BeachException e = new BeachException(ErrorCode.NO_ACTORS, "the reader of stream " + streamId + " went away");
    request.streamEnded(e);
    if (handler != null) {
      handler.handle(e);
    }
  }

  @Override
  public synchronized ReplyStream setWriteQueueMaxSize(int maxSize) {
    this.maxQueue = Math.max(1, maxSize);
    return this;
  }

  @Override
  public synchronized boolean writeQueueFull() {
    return credits <= 0 || queue.size() >= maxQueue;
  }

  @Override
  public synchronized ReplyStream drainHandler(Handler<Void> handler) {
    this.drainHandler = handler;
    return this;
  }
}
