package dev.beach.impl.hosting;

import dev.beach.LogLine;
import dev.beach.LogQuery;
import dev.beach.NodeOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The log rings of this node's actors: their bounds ({@code node.logLines}, {@code logLineBytes},
 * {@code logLinesPerSecond}, {@code logBytes}), the node's line numbers that cursors count in, the rings of the last
 * {@value #RETIRED} stopped actors (so a crash can still be read), and the read the control plane answers.
 */
public final class NodeLogs {

  /** Stopped actors whose lines stay readable. */
  static final int RETIRED = 64;
  /** What one kept line costs besides its message: the record, the string and its array headers (approximate). */
  static final int ENTRY_BYTES = 96;

  private final String nodeId;
  private final Cells cells;
  private final int lines;
  private final int lineBytes;
  private final int linesPerSecond;
  private final long budget;
  private final AtomicLong held = new AtomicLong();
  private final Object order = new Object();
  private long seq; // guarded by order
  private final ArrayDeque<ActorLog> retired = new ArrayDeque<>();

  public NodeLogs(String nodeId, Cells cells, NodeOptions options) {
    this.nodeId = nodeId;
    this.cells = cells;
    this.lines = options.getLogLines();
    this.lineBytes = options.getLogLineBytes();
    this.linesPerSecond = options.getLogLinesPerSecond();
    this.budget = options.getLogBytes();
  }

  /** A ring for a new actor; its "started" line is numbered now. */
  ActorLog open(String actorId, String realm, List<String> categories, long startedAt) {
    long start;
    synchronized (order) {
      start = nextSeq();
    }
    return new ActorLog(this, actorId, realm, categories, startedAt, start);
  }

  /** Keeps a stopped actor's ring readable until {@value #RETIRED} newer ones push it out. */
  void retire(ActorLog log) {
    ActorLog out = null;
    synchronized (retired) {
      retired.remove(log);
      retired.addLast(log);
      if (retired.size() > RETIRED) {
        out = retired.pollFirst();
      }
    }
    if (out != null) {
      out.clear();
    }
  }

  /** Approximate bytes all rings hold now. */
  public long heldBytes() {
    return held.get();
  }

  /**
   * This node's answer to a {@link LogQuery} (validated by the caller) in {@code realm}:
   * {@code {node, known, lines: [LogLine], cursor, dropped}}. {@code known} tells whether an actor query found its
   * actor here; {@code cursor} is the line number to read on from.
   */
  public JsonObject read(String realm, LogQuery query) {
    List<ActorLog> targets = targets(realm, query);
    long now = System.currentTimeMillis();
    targets.forEach(t -> t.settle(now));
    long upTo;
    synchronized (order) {
      upTo = seq;
    }
    boolean newest = query.getCursor() == null;
    long after = newest ? 0 : query.getCursor().getOrDefault(nodeId, 0L);
    int minRank = query.getLevel() == null ? 0 : LogLine.rank(query.getLevel());
    int limit = query.getLimit();
    List<LogLine> out = new ArrayList<>();
    long dropped = 0;
    long bound = upTo;
    for (ActorLog t : targets) {
      bound = Math.min(bound, t.collect(nodeId, after, upTo, query.getSince(), minRank, newest, limit, out));
      dropped += t.dropped();
    }
    if (bound < upTo) {
      // A ring had more lines than the limit: read on from its last one, so none of its later lines is skipped.
      long last = bound;
      out.removeIf(l -> l.seq() > last);
    }
    out.sort(Comparator.comparingLong(LogLine::seq));
    long cursor = bound;
    if (out.size() > limit) {
      if (newest) {
        out = out.subList(out.size() - limit, out.size());
      } else {
        out = out.subList(0, limit);
        cursor = out.get(limit - 1).seq(); // the rest is read next time
      }
    }
    JsonArray array = new JsonArray();
    out.forEach(l -> array.add(l.toJson()));
    return new JsonObject().put("node", nodeId).put("known", !targets.isEmpty()).put("lines", array)
      .put("cursor", cursor).put("dropped", dropped);
  }

  private List<ActorLog> targets(String realm, LogQuery query) {
    List<ActorLog> out = new ArrayList<>();
    String actor = query.getActor();
    if (actor != null) {
      ActorCell cell = cells.get(actor);
      if (cell != null && cell.realm().equals(realm)) {
        out.add(cell.logRing());
        return out;
      }
    } else {
      for (ActorCell cell : cells.all()) {
        if (cell.realm().equals(realm) && cell.info().reachedBy(query.getCategory())) {
          out.add(cell.logRing());
        }
      }
    }
    synchronized (retired) {
      for (ActorLog r : retired) {
        boolean match = actor != null ? r.actor().equals(actor) : r.reachedBy(query.getCategory());
        if (match && r.realm().equals(realm) && !out.contains(r)) {
          out.add(r);
        }
      }
    }
    return out;
  }

  // ------------------------------------------------------------------ for the rings

  Object order() {
    return order;
  }

  /** The next line number; call holding {@link #order()}. */
  long nextSeq() {
    return ++seq;
  }

  int lines() {
    return lines;
  }

  int lineBytes() {
    return lineBytes;
  }

  int linesPerSecond() {
    return linesPerSecond;
  }

  /** Takes {@code bytes} from the node's budget; false (nothing taken) when that would pass it. */
  boolean reserve(int bytes) {
    for (;;) {
      long now = held.get();
      if (now + bytes > budget) {
        return false;
      }
      if (held.compareAndSet(now, now + bytes)) {
        return true;
      }
    }
  }

  void release(long bytes) {
    held.addAndGet(-bytes);
  }

  /** The UTF-8 length of {@code s}, counted no further than {@code stopAt}. */
  static int utf8Length(String s, int stopAt) {
    if (s.length() * 3L < stopAt) {
      return s.length(); // short enough whatever it holds: an approximation is fine for the budget
    }
    int bytes = 0;
    for (int i = 0; i < s.length() && bytes < stopAt; i++) {
      bytes += charBytes(s, i);
      if (Character.isHighSurrogate(s.charAt(i)) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      }
    }
    return bytes;
  }

  /** The longest prefix of {@code s} of at most {@code max} UTF-8 bytes, never splitting a surrogate pair. */
  static String cutUtf8(String s, int max) {
    int bytes = 0;
    int i = 0;
    while (i < s.length()) {
      boolean pair = Character.isHighSurrogate(s.charAt(i)) && i + 1 < s.length()
        && Character.isLowSurrogate(s.charAt(i + 1));
      int n = charBytes(s, i);
      if (bytes + n > max) {
        break;
      }
      bytes += n;
      i += pair ? 2 : 1;
    }
    return s.substring(0, i);
  }

  private static int charBytes(String s, int i) {
    char c = s.charAt(i);
    if (c < 0x80) {
      return 1;
    }
    if (c < 0x800) {
      return 2;
    }
    if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
      return 4;
    }
    return 3;
  }
}
