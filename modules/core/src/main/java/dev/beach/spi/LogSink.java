package dev.beach.spi;

import org.slf4j.event.Level;

/**
 * Where an {@link dev.beach.ActorLogger} keeps its lines besides SLF4J: the actor's bounded ring on its node.
 * Implemented by the runtime; applications never implement or call it.
 */
public interface LogSink {

  /**
   * Keeps one line ({@code format} and {@code args} as SLF4J takes them). False when the actor is over its rate
   * bound: the line is counted as dropped and must not reach SLF4J either, so a logging loop cannot flood the
   * node's log.
   */
  boolean record(Level level, String format, Object[] args);
}
