package dev.beach.compute.impl;

import dev.beach.BeachException;
import dev.beach.ErrorCode;
import dev.beach.compute.JobInput;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.streams.ReadStream;

/**
 * NDJSON inputs from a byte stream or a file: one JSON value per line, blank lines skipped. Lines are cut on the
 * job's context, one hop per buffer rather than per line. A line that is not JSON fails at its index with 400
 * naming the line; the file is read only as fast as workers take it.
 */
final class NdjsonFeed extends StreamFeed {

  private final Vertx vertx;
  private final String path;
  private final ReadStream<Buffer> bytes;
  private AsyncFile file;
  private boolean closed;
  /** Received bytes not cut into inputs yet: from {@code pos}; {@code scan} is how far newlines were looked for. */
  private Buffer data;
  private int pos;
  private int scan;
  private long lines;

  private static final int BUFFERS_IN_FLIGHT = 8;

  private NdjsonFeed(ContextInternal ctx, Vertx vertx, String path, ReadStream<Buffer> bytes, int chunkSize) {
    // Events are buffers of many lines: a few at a time bounds the bytes in flight (8 × 64 KB for files).
    super(ctx, null, chunkSize, BUFFERS_IN_FLIGHT);
    this.vertx = vertx;
    this.path = path;
    this.bytes = bytes;
  }

  static NdjsonFeed of(ContextInternal ctx, ReadStream<Buffer> bytes, int chunkSize) {
    return new NdjsonFeed(ctx, null, null, bytes, chunkSize);
  }

  static NdjsonFeed file(ContextInternal ctx, Vertx vertx, String path, int chunkSize) {
    return new NdjsonFeed(ctx, vertx, path, null, chunkSize);
  }

  @Override
  void start(Runnable wakeup) {
    super.start(wakeup);
    if (bytes != null) {
      attach(bytes);
      return;
    }
    vertx.fileSystem().open(path, new OpenOptions().setRead(true).setWrite(false).setCreate(false)).onComplete(ar -> onJob(() -> {
      if (ar.failed()) {
        fail(new BeachException(ErrorCode.BAD_REQUEST, "cannot read the input file " + path + ": " + ar.cause().getMessage()));
        return;
      }
      file = ar.result();
      if (closed) {
        file.close();
        return;
      }
      // Bigger reads than the 8 KB default: fewer hops, same bounded memory.
      file.setReadBufferSize(64 * 1024);
      attach(file);
    }));
  }

  @Override
  void onEvent(Object event) {
    Buffer more = (Buffer) event;
    if (data == null || pos >= data.length()) {
      data = more;
      scan = 0;
    } else {
      // keep only what is not cut yet: a partial line, or lines waiting for room
      data = data.getBuffer(pos, data.length()).appendBuffer(more);
      scan -= pos;
    }
    pos = 0;
    refill();
  }

  /** Cuts lines from the received bytes only while chunks are wanted: bytes wait, not parsed inputs. */
  @Override
  void refill() {
    if (data == null || failure != null) {
      return;
    }
    int n = data.length();
    while (ready.size() < READY_LIMIT && scan < n) {
      if (data.getByte(scan) == '\n') {
        line(data, pos, scan);
        pos = scan + 1;
      }
      scan++;
    }
    if (scan >= n && n - pos > JobInput.MAX_LINE_BYTES) {
      fail(new BeachException(ErrorCode.BAD_REQUEST, "line " + (lines + 1) + " is longer than " + JobInput.MAX_LINE_BYTES
        + " bytes: each line must be one JSON value"));
    }
  }

  @Override
  boolean backlog() {
    return data != null && scan < data.length();
  }

  @Override
  void onEnd() {
    if (data != null && pos < data.length()) {
      line(data, pos, data.length()); // the last line needs no newline
    }
    data = null;
  }

  private void line(Buffer data, int start, int end) {
    lines++;
    int from = start;
    int to = end;
    while (from < to && isSpace(data.getByte(from))) {
      from++;
    }
    while (to > from && isSpace(data.getByte(to - 1))) {
      to--;
    }
    if (from == to) {
      return; // a blank line is not an input
    }
    Buffer text = data.slice(from, to);
    try {
      offer(Json.decodeValue(text));
    } catch (DecodeException e) {
      String s = text.toString();
      offerBad(new BeachException(ErrorCode.BAD_REQUEST, "line " + lines + " is not JSON ("
        + (s.length() > 80 ? s.substring(0, 77) + "..." : s) + "): each line must be one JSON value"));
    }
  }

  private static boolean isSpace(byte b) {
    return b == ' ' || b == '\t' || b == '\r';
  }

  @Override
  void close() {
    super.close();
    closed = true;
    if (file != null) {
      file.close();
    }
  }
}
