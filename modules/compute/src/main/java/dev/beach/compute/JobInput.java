package dev.beach.compute;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

import java.util.Collection;
import java.util.Objects;

/**
 * Where a job's inputs come from. Each input is one JSON value (object, array, string, number, boolean, null)
 * and becomes one item of a worker's {@code _batch}. Streamed inputs are read only as fast as workers take
 * them, so an input larger than memory is fine.
 */
public final class JobInput {

  /** The kinds of input. */
  public enum Kind {
    /** An {@link Iterable}, pulled as workers free up. */
    ITERABLE,
    /** A {@link ReadStream} of JSON values, paused while the job has enough. */
    STREAM,
    /** A {@link ReadStream} of bytes holding one JSON value per line (an HTTP body, a socket). */
    NDJSON,
    /** A file holding one JSON value per line, read with bounded memory. */
    NDJSON_FILE
  }

  /** The longest NDJSON line accepted; a longer one fails the job rather than filling memory. */
  public static final int MAX_LINE_BYTES = 16 * 1024 * 1024;

  private final Kind kind;
  private final Object source;
  private final long size;

  private JobInput(Kind kind, Object source, long size) {
    this.kind = kind;
    this.source = Objects.requireNonNull(source, "inputs");
    this.size = size;
  }

  /** Items from an iterable; a {@link Collection}'s size is the job's total from the start. */
  public static JobInput of(Iterable<?> items) {
    return new JobInput(Kind.ITERABLE, items, items instanceof Collection ? ((Collection<?>) items).size() : -1);
  }

  /** Items from a stream of JSON values; read once. */
  public static JobInput of(ReadStream<?> items) {
    return new JobInput(Kind.STREAM, items, -1);
  }

  /** Items from a byte stream of NDJSON (blank lines skipped); read once. */
  public static JobInput ndjson(ReadStream<Buffer> bytes) {
    return new JobInput(Kind.NDJSON, bytes, -1);
  }

  /** Items from an NDJSON file (blank lines skipped). A line that is not JSON yields a per-item failure. */
  public static JobInput ndjsonFile(String path) {
    return new JobInput(Kind.NDJSON_FILE, path, -1);
  }

  public Kind kind() {
    return kind;
  }

  /** The iterable, stream or file path, by {@link #kind()}. */
  public Object source() {
    return source;
  }

  /** The number of items when known up front, else -1. */
  public long size() {
    return size;
  }

  @Override
  public String toString() {
    return "JobInput{" + kind + (size >= 0 ? ", " + size + " items" : "") + "}";
  }
}
