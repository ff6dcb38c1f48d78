package dev.beach.impl.transport;

import dev.beach.WireHeaders;
import io.vertx.core.MultiMap;
import io.vertx.core.eventbus.DeliveryOptions;

/**
 * Header names on the event bus: the documented request headers ({@link WireHeaders}) plus the routing and
 * stream headers that only nodes exchange.
 */
public final class Headers {

  public static final String OP = WireHeaders.OP;
  public static final String ID = WireHeaders.ID;
  public static final String IDENT = WireHeaders.IDENT;
  public static final String KEY = WireHeaders.KEY;
  public static final String DEADLINE = WireHeaders.DEADLINE;
  /** Routing: the actor a node-addressed message is for. */
  public static final String ACTOR = "actor";
  /** Routing: the category the caller named; a missing actor then means "retry elsewhere" (503), not 404. */
  public static final String CATEGORY = "category";
  /** Streams: the caller-side stream id and the node to send items to. */
  public static final String STREAM = "stream";
  public static final String STREAM_NODE = "streamNode";
  public static final String STREAM_CREDIT = "streamCredit";
  /** Stream frames sent to a node: item, end, error, credit, cancel. */
  public static final String FRAME = "frame";
  public static final String SEQ = "seq";
  /** W3C trace context of a request sent as a plain bus message (the same names as over HTTP). */
  public static final String TRACEPARENT = "traceparent";
  public static final String TRACESTATE = "tracestate";
  /** The service-proxy header: marks control-plane messages at a node's address. */
  public static final String ACTION = "action";

  private Headers() {
  }

  /** The documented headers of a request. */
  public static DeliveryOptions request(String op, String id, String ident, String key, long deadline) {
    MultiMap h = MultiMap.caseInsensitiveMultiMap();
    h.add(OP, op).add(ID, id);
    if (ident != null) {
      h.add(IDENT, ident);
    }
    if (key != null) {
      h.add(KEY, key);
    }
    if (deadline > 0) {
      h.add(DEADLINE, Long.toString(deadline));
    }
    return new DeliveryOptions().setHeaders(h);
  }

  /** Adds the W3C trace context, when there is one. */
  public static DeliveryOptions trace(DeliveryOptions d, String traceparent, String tracestate) {
    if (traceparent != null) {
      d.addHeader(TRACEPARENT, traceparent);
      if (tracestate != null) {
        d.addHeader(TRACESTATE, tracestate);
      }
    }
    return d;
  }

  /** A numeric header, or 0 when absent or not a number (a plain caller's typo must not fail the request). */
  public static long parseLong(String value) {
    if (value == null) {
      return 0;
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
