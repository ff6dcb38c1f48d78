package dev.beach.compute.impl;

import dev.beach.BeachException;

import java.util.Iterator;

/** Pulls from an iterator only when a worker is free: nothing is read ahead. */
final class IterableFeed extends Feed {

  private final Iterable<?> source;
  private Iterator<?> iterator;

  IterableFeed(Iterable<?> source, int chunkSize) {
    super(chunkSize);
    this.source = source;
  }

  @Override
  void start(Runnable wakeup) {
    this.wakeup = wakeup;
  }

  @Override
  Chunk poll() {
    while (ready.isEmpty() && !ended) {
      try {
        if (iterator == null) {
          iterator = source.iterator();
        }
        if (!iterator.hasNext()) {
          chunker.flush();
          ended = true;
          break;
        }
        chunker.add(iterator.next());
      } catch (RuntimeException e) {
        chunker.flush();
        failure = Failures.input("reading the inputs failed after " + chunker.count() + " items", e);
        ended = true;
      }
    }
    return ready.poll();
  }

  @Override
  boolean exhausted() {
    return ended && ready.isEmpty();
  }

  @Override
  void close() {
    ended = true;
  }
}
