package dev.beach.impl.hosting;

import dev.beach.Address;
import dev.beach.LogLine;
import dev.beach.spi.LogSink;
import org.slf4j.MDC;
import org.slf4j.event.Level;
import org.slf4j.helpers.FormattingTuple;
import org.slf4j.helpers.MessageFormatter;

import java.util.ArrayList;
import java.util.List;

/**
 * One actor's recent log lines: a ring of at most {@code node.logLines} small records, each message formatted once
 * and cut to {@code node.logLineBytes}. The array is allocated on the first line and grows to its bound, so an actor
 * that never logs costs this object only; its "started" line is not stored but made up when read. Lines over
 * {@code node.logLinesPerSecond} are counted, not kept (nor written to SLF4J), and one line says how many went
 * when their second is over. Safe from any thread.
 */
public final class ActorLog implements LogSink {

  /** The MDC key tracing sets while a traced request is handled (see {@code ActorCell}). */
  public static final String TRACE_KEY = dev.beach.impl.trace.OtelTracing.MDC_TRACE_ID;
  private static final Level[] LEVELS = Level.values();
  private static final String STARTED = "started";

  private record Entry(long seq, long time, byte level, String message, String traceId, boolean truncated, int cost) {
  }

  private final NodeLogs logs;
  private final String actor;
  private final String realm;
  private final List<String> categories;
  private final long startedAt;
  private final long startSeq;

  // Guarded by this.
  private Entry[] ring;
  private int head;
  private int size;
  private long appended;
  private long lastSeq;
  private long windowSecond;
  private int windowCount;
  private int windowDropped;
  private long dropped;

  ActorLog(NodeLogs logs, String actor, String realm, List<String> categories, long startedAt, long startSeq) {
    this.logs = logs;
    this.actor = actor;
    this.realm = realm;
    this.categories = categories;
    this.startedAt = startedAt;
    this.startSeq = startSeq;
  }

  /** The trace id of the request being served: the MDC's while the handler runs, the held one in its callbacks. */
  private static String traceId() {
    String id = MDC.get(TRACE_KEY);
    return id != null ? id : dev.beach.impl.trace.TraceContexts.heldTraceId();
  }

  String actor() {
    return actor;
  }

  String realm() {
    return realm;
  }

  boolean reachedBy(String category) {
    for (String c : categories) {
      if (Address.reaches(category, c)) {
        return true;
      }
    }
    return false;
  }

  // ------------------------------------------------------------------ writing

  @Override
  public boolean record(Level level, String format, Object[] args) {
    if (!admit(System.currentTimeMillis())) {
      return false;
    }
    FormattingTuple ft = MessageFormatter.arrayFormat(format, args);
    String message = ft.getMessage() == null ? "null" : ft.getMessage();
    if (ft.getThrowable() != null) {
      message = message + ": " + ft.getThrowable();
    }
    append(level, message, traceId());
    return true;
  }

  /** A line of the runtime about this actor (stopped, failed, restarted): bounded like the actor's own. */
  public void runtime(Level level, String message) {
    if (admit(System.currentTimeMillis())) {
      append(level, message, traceId());
    }
  }

  /** Counts the line against this second's bound; false when over it. Says how many went when a second is over. */
  private boolean admit(long now) {
    int gone;
    synchronized (this) {
      gone = roll(now);
      if (windowCount >= logs.linesPerSecond()) {
        windowDropped++;
        dropped++;
        return false;
      }
      windowCount++;
    }
    droppedLine(gone);
    return true;
  }

  /** Starts a new second if {@code now} is in one; answers how many lines the previous one dropped. */
  private int roll(long now) {
    long second = now / 1000;
    if (second == windowSecond) {
      return 0;
    }
    int gone = windowDropped;
    windowSecond = second;
    windowCount = 0;
    windowDropped = 0;
    return gone;
  }

  private void droppedLine(int gone) {
    if (gone > 0) {
      // Short enough for the smallest node.logLineBytes (64) even with a large count.
      append(Level.WARN, gone + " lines dropped (over node.logLinesPerSecond = " + logs.linesPerSecond() + ")", null);
    }
  }

  /** Writes the pending "N lines dropped" line if its second is over (before a read). */
  void settle(long now) {
    int gone;
    synchronized (this) {
      gone = roll(now);
    }
    droppedLine(gone);
  }

  private void append(Level level, String message, String traceId) {
    int max = logs.lineBytes();
    int bytes = NodeLogs.utf8Length(message, max + 1);
    boolean truncated = bytes > max;
    if (truncated) {
      message = NodeLogs.cutUtf8(message, max);
      bytes = max;
    }
    long now = System.currentTimeMillis();
    // The node's order lock makes "numbered" and "stored" one step, so a reader that saw number n sees every line up
    // to n (cursors never skip a line still being written).
    synchronized (logs.order()) {
      long seq = logs.nextSeq();
      synchronized (this) {
        store(new Entry(seq, now, (byte) level.ordinal(), message, traceId, truncated, NodeLogs.ENTRY_BYTES + bytes));
      }
    }
  }

  private void store(Entry e) {
    int capacity = logs.lines();
    if (capacity == 0) {
      return;
    }
    if (size == capacity) {
      Entry old = ring[head];
      ring[head] = e;
      head = (head + 1) % ring.length;
      logs.release(old.cost - e.cost);
    } else {
      if (!logs.reserve(e.cost)) {
        if (size == 0) {
          dropped++;
          return;
        }
        // The node's budget is spent: make room in this ring rather than grow it.
        Entry old = ring[head];
        ring[head] = e;
        head = (head + 1) % ring.length;
        logs.release(old.cost - e.cost);
        appended++;
        lastSeq = e.seq;
        return;
      }
      if (ring == null) {
        ring = new Entry[Math.min(capacity, 8)];
      } else if (size == ring.length) {
        Entry[] bigger = new Entry[Math.min(capacity, ring.length * 2)];
        for (int i = 0; i < size; i++) {
          bigger[i] = ring[(head + i) % ring.length];
        }
        ring = bigger;
        head = 0;
      }
      ring[(head + size) % ring.length] = e;
      size++;
    }
    appended++;
    lastSeq = e.seq;
  }

  // ------------------------------------------------------------------ reading

  /** Lines written over this actor's life that its rate bound (or the node's budget) did not keep. */
  synchronized long dropped() {
    return dropped;
  }

  /** Lines kept now (the made-up "started" line included). */
  synchronized int size() {
    return size + (startedShown() ? 1 : 0);
  }

  /** Approximate bytes its lines hold. */
  synchronized long bytes() {
    long sum = 0;
    for (int i = 0; i < size; i++) {
      sum += ring[(head + i) % ring.length].cost;
    }
    return sum;
  }

  /** The "started" line is shown until the ring has had to overwrite a line (it is the oldest). */
  private boolean startedShown() {
    return logs.lines() > 0 && appended < logs.lines();
  }

  /**
   * Adds to {@code out} this actor's lines numbered in ({@code after}, {@code upTo}], written at or after
   * {@code since}, at level rank {@code minRank} or above: the last {@code limit} of them when {@code newest}, else
   * the first {@code limit}. Answers the number of the last line added when more were left out after it (a reader
   * going on must not skip them), else {@link Long#MAX_VALUE}.
   */
  long collect(String node, long after, long upTo, long since, int minRank, boolean newest, int limit,
               List<LogLine> out) {
    List<LogLine> mine = new ArrayList<>();
    synchronized (this) {
      if (startedShown() && startSeq > after && startSeq <= upTo && startedAt >= since
        && rank((byte) Level.INFO.ordinal()) >= minRank) {
        mine.add(line(node, new Entry(startSeq, startedAt, (byte) Level.INFO.ordinal(), STARTED, null, false, 0)));
      }
      for (int i = 0; i < size; i++) {
        Entry e = ring[(head + i) % ring.length];
        if (e.seq > after && e.seq <= upTo && e.time >= since && rank(e.level) >= minRank) {
          mine.add(line(node, e));
        }
      }
    }
    long cut = Long.MAX_VALUE;
    if (mine.size() > limit) {
      if (newest) {
        mine = mine.subList(mine.size() - limit, mine.size());
      } else {
        mine = mine.subList(0, limit);
        cut = mine.get(limit - 1).seq();
      }
    }
    out.addAll(mine);
    return cut;
  }

  /** Frees what the ring holds (a retired actor's ring leaving the node's memory). */
  synchronized void clear() {
    logs.release(bytes());
    ring = null;
    size = 0;
    head = 0;
  }

  /** SLF4J numbers levels ERROR=0 … TRACE=4; {@link LogLine#LEVELS} ranks them TRACE=0 … ERROR=4. */
  private static int rank(byte slf4jOrdinal) {
    return LEVELS.length - 1 - slf4jOrdinal;
  }

  private LogLine line(String node, Entry e) {
    return new LogLine(e.time, LogLine.LEVELS.get(rank(e.level)), e.message, realm, actor, node, e.seq, e.traceId,
      e.truncated);
  }
}
