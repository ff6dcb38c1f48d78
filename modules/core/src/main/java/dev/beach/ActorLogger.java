package dev.beach;

import dev.beach.spi.LogSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * An actor's logger: every line carries {@code realm}, {@code category}, {@code actor} and {@code node}
 * as key-value pairs (SLF4J 2), so a log search for one actor finds all its lines. On a node, each line written (the
 * levels SLF4J has enabled for the actor's class) is also kept in the actor's bounded ring, read with
 * {@link Beach#logs}; lines over the actor's rate bound ({@code node.logLinesPerSecond}) are counted and dropped from
 * both.
 */
public final class ActorLogger {

  private final Logger logger;
  private final String realm;
  private final String category;
  private final String actor;
  private final String node;
  private final LogSink sink;

  public ActorLogger(Class<?> type, String realm, String category, String actor, String node) {
    this(type, realm, category, actor, node, null);
  }

  /** @param sink also keeps each line (null: SLF4J only) */
  public ActorLogger(Class<?> type, String realm, String category, String actor, String node, LogSink sink) {
    this.sink = sink;
    this.logger = LoggerFactory.getLogger(type);
    this.realm = realm;
    this.category = category;
    this.actor = actor;
    this.node = node;
  }

  public void debug(String format, Object... args) {
    if (logger.isDebugEnabled() && kept(Level.DEBUG, format, args)) {
      tag(logger.atDebug()).log(format, args);
    }
  }

  public void info(String format, Object... args) {
    if (logger.isInfoEnabled() && kept(Level.INFO, format, args)) {
      tag(logger.atInfo()).log(format, args);
    }
  }

  public void warn(String format, Object... args) {
    if (kept(Level.WARN, format, args)) {
      tag(logger.atWarn()).log(format, args);
    }
  }

  public void error(String format, Object... args) {
    if (kept(Level.ERROR, format, args)) {
      tag(logger.atError()).log(format, args);
    }
  }

  public Logger slf4j() {
    return logger;
  }

  private boolean kept(Level level, String format, Object[] args) {
    return sink == null || sink.record(level, format, args);
  }

  private LoggingEventBuilder tag(LoggingEventBuilder b) {
    return b.addKeyValue("realm", realm).addKeyValue("category", category).addKeyValue("actor", actor)
      .addKeyValue("node", node);
  }
}
