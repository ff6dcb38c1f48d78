package dev.beach.compute.impl;

import dev.beach.BeachException;
import io.vertx.core.json.JsonArray;

/**
 * Consecutive inputs {@code [base, base + size)} sent together as one {@code _batch}. A chunk finishes once:
 * a late answer from an attempt that was given up on is ignored, so every input yields exactly one result.
 */
final class Chunk {

  final long base;
  /** The inputs; null for a chunk that failed before dispatch (an input that is not JSON). */
  final JsonArray items;
  final int size;
  /** Set for a chunk that fails without being sent: the reason. */
  final BeachException preFailed;
  /** Attempts that failed in a way that counts against {@code retries} (timeouts, whole-batch failures). */
  int failures;
  /** Numbers the sends: only the latest attempt's failure counts; any attempt's success finishes the chunk. */
  int attemptSeq;
  boolean finished;
  /** The worker that last failed it: a retry goes elsewhere when it can. */
  Object avoid;
  /** Its span while open, when the job is traced and this chunk is one of the sample ({@link JobTrace}); else null. */
  io.opentelemetry.api.trace.Span span;
  /** When the latest attempt was sent (ms): how long a stalled job has waited for it. */
  long sentAt;

  Chunk(long base, JsonArray items) {
    this.base = base;
    this.items = items;
    this.size = items.size();
    this.preFailed = null;
  }

  Chunk(long base, BeachException preFailed) {
    this.base = base;
    this.items = null;
    this.size = 1;
    this.preFailed = preFailed;
  }

  long end() {
    return base + size;
  }

  @Override
  public String toString() {
    return "chunk[" + base + ".." + (end() - 1) + "]";
  }
}
