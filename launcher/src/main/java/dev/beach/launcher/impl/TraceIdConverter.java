package dev.beach.launcher.impl;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.beach.spi.TraceSupport;

/**
 * {@code %traceId} in a logback pattern: {@code " trace_id=<id>"} for a line written while serving a traced request,
 * else nothing. The MDC's {@code trace_id} is set only while a traced handler runs on its thread; a line logged later
 * from one of its callbacks (a reply, a timer) finds the trace the handler's Vert.x context holds instead
 * ({@link TraceSupport#currentTraceId()}). Appenders here are synchronous, so the lookup runs on the logging thread.
 */
public final class TraceIdConverter extends ClassicConverter {

  static final String MDC_KEY = "trace_id";

  @Override
  public String convert(ILoggingEvent event) {
    String id = event.getMDCPropertyMap().get(MDC_KEY);
    if (id == null) {
      id = TraceSupport.currentTraceId();
    }
    return id == null ? "" : " trace_id=" + id;
  }
}
