package dev.beach.compute.impl;

import dev.beach.BeachException;

import java.util.ArrayDeque;

/**
 * A job's inputs, cut into chunks on demand. All methods run on the job's context; {@code wakeup} is called
 * there when a chunk became ready, the input ended, or reading it failed.
 */
abstract class Feed {

  final ArrayDeque<Chunk> ready = new ArrayDeque<>();
  final Chunker chunker;
  Runnable wakeup = () -> { };
  boolean ended;
  BeachException failure;

  Feed(int chunkSize) {
    this.chunker = new Chunker(chunkSize, ready);
  }

  /** Begins reading (opening a file, installing stream handlers). */
  abstract void start(Runnable wakeup);

  /** The next chunk, or null when none is ready now. */
  Chunk poll() {
    return ready.poll();
  }

  /** No chunk will ever come again. */
  boolean exhausted() {
    return ended && ready.isEmpty();
  }

  /** Inputs read (numbered) so far. */
  long read() {
    return chunker.count();
  }

  /** Stops reading and releases what start acquired; called once when the job ends, however it ends. */
  abstract void close();

  void fail(BeachException e) {
    if (!ended) {
      failure = e;
      ended = true;
      wakeup.run();
    }
  }
}
