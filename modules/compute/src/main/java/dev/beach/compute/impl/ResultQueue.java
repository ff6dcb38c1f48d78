package dev.beach.compute.impl;

import dev.beach.BeachException;
import dev.beach.compute.ItemResult;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.TreeMap;

/**
 * Results on their way to a stream reader, in input order (a chunk that finishes early waits for the ones
 * before it) or as they come. The reader's demand drives it; while results pile up the dispatcher holds fresh
 * chunks back ({@link #mayDispatch}), so memory stays within about {@code maxBuffered} results plus what is in
 * flight. Used on the job's context only.
 */
final class ResultQueue implements Dispatcher.Output {

  private final boolean ordered;
  private final int maxBuffered;
  private final Runnable onTaken;
  /** Who takes the results, as a stalled job names it. */
  private final String reader;
  private final ArrayDeque<JsonObject> queue = new ArrayDeque<>();
  /** Ordered mode: finished chunks waiting for an earlier one, by base. */
  private final TreeMap<Long, JsonArray> waiting = new TreeMap<>();
  private long nextIndex;
  private long finishedItems;
  private volatile long delivered;
  private long demand = Long.MAX_VALUE;
  private Handler<ItemResult> handler;
  private Handler<Void> endHandler;
  private Handler<Throwable> exceptionHandler;
  private boolean ended;
  private BeachException error;
  private boolean closed;
  private boolean emitting;

  /** @param reader who takes the results, as a stalled job names it ("the job's reader", "the results file writer") */
  ResultQueue(boolean ordered, int maxBuffered, Runnable onTaken, String reader) {
    this.ordered = ordered;
    this.maxBuffered = maxBuffered;
    this.onTaken = onTaken;
    this.reader = reader;
  }

  @Override
  public void accept(Chunk chunk, JsonArray results) {
    finishedItems += chunk.size;
    if (!ordered) {
      addAll(results);
    } else if (chunk.base == nextIndex) {
      addAll(results);
      nextIndex = chunk.end();
      JsonArray next;
      while ((next = waiting.remove(nextIndex)) != null) {
        addAll(next);
        nextIndex += next.size();
      }
    } else {
      waiting.put(chunk.base, results);
    }
    emit();
  }

  private void addAll(JsonArray results) {
    for (int k = 0; k < results.size(); k++) {
      queue.add(results.getJsonObject(k));
    }
  }

  @Override
  public boolean mayDispatch(long base) {
    // Ordered: nothing past the reader's position plus the window goes out, so a slow chunk at the head cannot
    // make the ones after it pile up without bound.
    return ordered ? base - delivered < maxBuffered : finishedItems - delivered < maxBuffered;
  }

  @Override
  public long buffered() {
    return finishedItems - delivered;
  }

  @Override
  public long delivered() {
    return delivered;
  }

  @Override
  public String readerState() {
    if (handler == null) {
      return reader + " is not attached yet";
    }
    if (demand == 0) {
      return reader + " has paused";
    }
    if (queue.isEmpty() && !waiting.isEmpty()) {
      return "the results after item " + nextIndex + " wait for its chunk (ordered)";
    }
    return reader + " wants more";
  }

  @Override
  public void end(BeachException error) {
    ended = true;
    this.error = error;
    emit();
  }

  void handler(Handler<ItemResult> h) {
    handler = h;
    emit();
  }

  void endHandler(Handler<Void> h) {
    endHandler = h;
    emit();
  }

  void exceptionHandler(Handler<Throwable> h) {
    exceptionHandler = h;
    emit();
  }

  void pause() {
    demand = 0;
  }

  void fetch(long amount) {
    demand += amount;
    if (demand < 0) {
      demand = Long.MAX_VALUE;
    }
    emit();
  }

  void resume() {
    demand = Long.MAX_VALUE;
    emit();
  }

  /** Hands results to the reader while it wants them; then the end or the failure, once. */
  private void emit() {
    if (emitting) {
      return;
    }
    emitting = true;
    boolean took = false;
    try {
      while (demand > 0 && handler != null && !queue.isEmpty()) {
        if (demand != Long.MAX_VALUE) {
          demand--;
        }
        JsonObject r = queue.poll();
        delivered++;
        took = true;
        handler.handle(ItemResult.fromJson(r));
      }
      if (ended && !closed && queue.isEmpty()) {
        // The end (or the failure) follows the last result, and waits for someone to tell, like the results.
        if (error == null && endHandler != null) {
          closed = true;
          endHandler.handle(null);
        } else if (error != null && exceptionHandler != null) {
          closed = true;
          exceptionHandler.handle(error);
        }
      }
    } finally {
      emitting = false;
    }
    if (took) {
      onTaken.run();
    }
  }
}
