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
    /** When a route's answer is overdue (0: no deadline), and what answers for it then. */
    long answerBy;
    Runnable late;

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
    timer = vertx.setPeriodic(period(), t -> sweep(System.currentTimeMillis()));
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
      e.answerBy = 0;
      e.late = null;
    }
  }

  /**
   * Runs {@code late} at the first sweep after {@code deadline} (epoch ms) if {@code request} is still unanswered
   * then. A route's own guard against whatever it waits on never answering, at the cost of a field write: a timer
   * per request would cost a scheduled task, a map entry and a cancellation, on every request. Late by up to one
   * sweep period ({@link #period()}).
   */
  void answerBy(HttpServerRequest request, long deadline, Runnable late) {
    Exchange e = exchangeOf(request);
    if (e != null) {
      e.answerBy = deadline;
      e.late = late;
    }
  }

  /** How often connections are checked: a quarter of the shorter timeout, between 25 ms and one second. */
  long period() {
    return Math.max(25, Math.min(1000, Math.min(headerMs, idleMs) / 4));
  }

  /** The handler reads {@code request}'s body at its own pace (it pauses it on purpose): no idle rule for it. */
  void bodyStreamed(HttpServerRequest request) {
    Exchange e = exchangeOf(request);
    if (e != null) {
      e.streamed = true;
    }
  }

  /**
   * The exchange {@code request} belongs to, found by its connection (which carries one request at a time), not by
   * comparing it with the request {@link #started} kept: a route holds vertx-web's wrapper of that request, never the
   * same object (compared, a job's paused upload was cut with 408 and the dispatch backstop never armed).
   */
  private Exchange exchangeOf(HttpServerRequest request) {
    Exchange e = open.get(request.connection());
    return e != null && e.request != null ? e : null;
  }

  /** One check of every connection as of {@code now}; on the gateway's context (tests call it with a chosen time). */
  void sweep(long now) {
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
      } else if (e.answerBy != 0 && now >= e.answerBy) {
        Runnable late = e.late;
        e.answerBy = 0;
        e.late = null;
        late.run();
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
