package dev.beach;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * An actor's logger: every line carries {@code realm}, {@code category}, {@code actor} and {@code node}
 * as key-value pairs (SLF4J 2), so a log search for one actor finds all its lines.
 */
public final class ActorLogger {

  private final Logger logger;
  private final String realm;
  private final String category;
  private final String actor;
  private final String node;

  public ActorLogger(Class<?> type, String realm, String category, String actor, String node) {
    this.logger = LoggerFactory.getLogger(type);
    this.realm = realm;
    this.category = category;
    this.actor = actor;
    this.node = node;
  }

  public void debug(String format, Object... args) {
    if (logger.isDebugEnabled()) {
      tag(logger.atDebug()).log(format, args);
    }
  }

  public void info(String format, Object... args) {
    if (logger.isInfoEnabled()) {
      tag(logger.atInfo()).log(format, args);
    }
  }

  public void warn(String format, Object... args) {
    tag(logger.atWarn()).log(format, args);
  }

  public void error(String format, Object... args) {
    tag(logger.atError()).log(format, args);
  }

  public Logger slf4j() {
    return logger;
  }

  private LoggingEventBuilder tag(LoggingEventBuilder b) {
    return b.addKeyValue("realm", realm).addKeyValue("category", category).addKeyValue("actor", actor)
      .addKeyValue("node", node);
  }
}
