package dev.beach.impl.client;

import dev.beach.impl.directory.Directory;
import dev.beach.impl.hosting.Cells;
import dev.beach.impl.stream.Streams;
import dev.beach.impl.trace.Tracing;
import dev.beach.impl.transport.Coalescer;
import dev.beach.impl.transport.Deadlines;
import io.vertx.core.internal.VertxInternal;

import java.util.function.BooleanSupplier;

/**
 * What a handle needs to send a request: the directory to pick an actor from, the local actors (reached without
 * the network), the coalescer (to other nodes, on a link or the bus) and the stream endpoints.
 */
final class Dispatch {

  final VertxInternal vertx;
  final String nodeId;
  final Directory directory;
  final Cells cells;
  final Coalescer coalescer;
  final Streams streams;
  /** True once the node closes: retries stop then. */
  final BooleanSupplier closing;
  /** Local requests' timeouts. */
  final Deadlines deadlines;
  /** The client span of each attempt ({@link Tracing#OFF}: none). */
  final Tracing tracing;

  Dispatch(VertxInternal vertx, String nodeId, Directory directory, Cells cells, Coalescer coalescer, Streams streams,
           BooleanSupplier closing, Tracing tracing, Deadlines deadlines) {
    this.tracing = tracing;
    this.deadlines = deadlines;
    this.vertx = vertx;
    this.nodeId = nodeId;
    this.directory = directory;
    this.cells = cells;
    this.coalescer = coalescer;
    this.streams = streams;
    this.closing = closing;
  }
}
