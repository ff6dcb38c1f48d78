package dev.beach.gateway.impl;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;

/**
 * Cuts off clients that hold a connection without using it (slowloris and its cousins), with one timer for all
 * connections. Vert.x's own idle timeout cannot tell a slow client from a slow answer: a dispatch may wait up to
 * ten minutes for its actor, and an event stream or a job's results may stay quiet for as long, with no byte
 * moving either way. So the rules follow the exchange instead:
 * <ul>
 *   <li>A connection must deliver a complete request head within {@code headerTimeoutMs} of opening or of its
 *   previous answer ending; otherwise it is closed. This also bounds idle keep-alive connections.</li>
 *   <li>A request body the gateway is reading that stops arriving for {@code idleTimeoutMs} is answered 408 and
 *   the connection closed. Bodies streamed into a job are exempt ({@link #bodyStreamed}): the job pauses them on
 *   purpose while its workers are busy, and jobs are bounded per realm.</li>
 *   <li>An answer the client stops reading (its write queue full) for {@code idleTimeoutMs} is cut.</li>
 * </ul>
 * Everything runs on the gateway's context: connections, requests and the sweep share one thread.
 */
final class Timeouts {

  private final Vertx vertx;
  private final long headerMs;
  private final long idleMs;
  private final Map<HttpConnection, Exchange> open = new HashMap<>();
  private long timer = -1;

  /** The state of one connection: its current request, if any, and when things last moved. */
  private static final class Exchange {
    HttpServerRequest request;
    boolean expectsBody;
    boolean streamed;
    long waitingSince;
    long bytes = -1;
    long movedAt;
    long stalledSince;

    Exchange(long now) {
      this.waitingSince = now;
    }
  }

  Timeouts(Vertx vertx, long headerMs, long idleMs) {
    this.vertx = vertx;
    this.headerMs = headerMs;
    this.idleMs = idleMs;
  }

  void start() {
    long period = Math.max(25, Math.min(1000, Math.min(headerMs, idleMs) / 4));
    timer = vertx.setPeriodic(period, t -> sweep());
  }

  void stop() {
    vertx.cancelTimer(timer);
    open.clear();
  }

  int connections() {
    return open.size();
  }

  void connected(HttpConnection connection) {
    open.put(connection, new Exchange(System.currentTimeMillis()));
    connection.closeHandler(v -> open.remove(connection));
  }

  void started(HttpServerRequest request) {
    Exchange e = open.get(request.connection());
    if (e != null) {
      e.request = request;
      String length = request.getHeader(io.vertx.core.http.HttpHeaders.CONTENT_LENGTH);
      e.expectsBody = request.getHeader(io.vertx.core.http.HttpHeaders.TRANSFER_ENCODING) != null
        || length != null && !length.trim().equals("0");
      e.streamed = false;
      e.bytes = -1;
      e.movedAt = System.currentTimeMillis();
      e.stalledSince = 0;
      e.waitingSince = 0;
    }
  }

  /** The handler reads {@code request}'s body at its own pace (it pauses it on purpose): no idle rule for it. */
  void bodyStreamed(HttpServerRequest request) {
    // Found by its connection, not compared with the request started() kept: a route holds vertx-web's wrapper of
    // that request, never the same object, so the exemption never applied and a job that paused its upload for
    // idleTimeoutMs had it cut with 408 (issue #11). A connection carries one request at a time.
    Exchange e = open.get(request.connection());
    if (e != null && e.request != null) {
      e.streamed = true;
    }
  }

  private void sweep() {
    long now = System.currentTimeMillis();
    for (Map.Entry<HttpConnection, Exchange> entry : new ArrayList<>(open.entrySet())) {
      HttpConnection connection = entry.getKey();
      Exchange e = entry.getValue();
      HttpServerRequest r = e.request;
      HttpServerResponse response = r == null ? null : r.response();
      if (r == null || response.ended() || response.closed()) {
        if (e.waitingSince == 0) {
          e.waitingSince = now; // the previous answer ended: the next request head is due
        }
        if (now - e.waitingSince > headerMs) {
          open.remove(connection);
          connection.close();
        }
      } else if (e.expectsBody && !r.isEnded()) {
        long bytes = r.bytesRead();
        if (bytes != e.bytes) {
          e.bytes = bytes;
          e.movedAt = now;
        } else if (!e.streamed && now - e.movedAt > idleMs) {
          open.remove(connection);
          FrontDoor.refuse(r, 408, "the request body stopped arriving for " + idleMs + " ms (gateway.idleTimeoutMs)");
        }
      } else if (response.writeQueueFull()) {
        if (e.stalledSince == 0) {
          e.stalledSince = now;
        } else if (now - e.stalledSince > idleMs) {
          open.remove(connection);
          connection.close(); // the client stopped reading its answer
        }
      } else {
        e.stalledSince = 0;
      }
    }
  }
}
