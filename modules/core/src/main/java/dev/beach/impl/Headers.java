package dev.beach.impl;

import io.vertx.core.MultiMap;
import io.vertx.core.eventbus.DeliveryOptions;

/** Header names of the wire format (DESIGN.md "Wire format") plus the routing headers nodes add. */
final class Headers {

  static final String OP = "op";
  static final String ID = "id";
  static final String IDENT = "ident";
  static final String KEY = "key";
  static final String DEADLINE = "deadline";
  /** Routing: the actor a node-addressed message is for. */
  static final String ACTOR = "actor";
  /** Routing: the category the caller named; a missing actor then means "retry elsewhere" (503), not 404. */
  static final String CATEGORY = "category";
  /** Streams: the caller-side stream id and the node to send items to. */
  static final String STREAM = "stream";
  static final String STREAM_NODE = "streamNode";
  static final String STREAM_CREDIT = "streamCredit";
  /** Stream frames sent to a node: item, end, error, credit, cancel. */
  static final String FRAME = "frame";
  static final String SEQ = "seq";
  /** The service-proxy header: marks control-plane messages at a node's address. */
  static final String ACTION = "action";

  private Headers() {
  }

  static DeliveryOptions request(String op, String id, String ident, String key, long deadline) {
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

  static long parseLong(String value) {
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
