package dev.beach.compute;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.streams.ReadStream;

import java.util.Iterator;
import java.util.List;

/** A read stream of the given items that honours pause/fetch, emitting on its own context; counts the pauses. */
final class ListStream<T> implements ReadStream<T> {

  private final Context context;
  private final Iterator<T> items;
  private Handler<T> handler;
  private Handler<Void> endHandler;
  private long demand = Long.MAX_VALUE;
  private boolean scheduled;
  private boolean ended;
  volatile int pauses;

  ListStream(Context context, List<T> items) {
    this.context = context;
    this.items = items.iterator();
  }

  @Override
  public ReadStream<T> exceptionHandler(Handler<Throwable> handler) {
    return this;
  }

  @Override
  public synchronized ReadStream<T> handler(Handler<T> handler) {
    this.handler = handler;
    schedule();
    return this;
  }

  @Override
  public synchronized ReadStream<T> pause() {
    demand = 0;
    pauses++;
    return this;
  }

  @Override
  public ReadStream<T> resume() {
    return fetch(Long.MAX_VALUE);
  }

  @Override
  public synchronized ReadStream<T> fetch(long amount) {
    demand = demand + amount < 0 ? Long.MAX_VALUE : demand + amount;
    schedule();
    return this;
  }

  @Override
  public synchronized ReadStream<T> endHandler(Handler<Void> endHandler) {
    this.endHandler = endHandler;
    return this;
  }

  private void schedule() {
    if (!scheduled && handler != null) {
      scheduled = true;
      context.runOnContext(v -> emit());
    }
  }

  /** Emits up to 100 items per turn while there is demand, then yields the thread. */
  private void emit() {
    for (int k = 0; k < 100; k++) {
      T item;
      Handler<T> h;
      synchronized (this) {
        if (demand == 0 || handler == null || ended) {
          scheduled = false;
          return;
        }
        if (!items.hasNext()) {
          ended = true;
          scheduled = false;
          Handler<Void> end = endHandler;
          if (end != null) {
            end.handle(null);
          }
          return;
        }
        item = items.next();
        if (demand != Long.MAX_VALUE) {
          demand--;
        }
        h = handler;
      }
      h.handle(item);
    }
    context.runOnContext(v -> emit());
  }
}
