/**
 * Tracing: the spans Beach makes around a request (client side per attempt, server side around the actor's
 * handler) and the W3C trace context they carry. {@link dev.beach.impl.trace.Tracing#OFF} costs nothing per
 * request; {@link dev.beach.impl.trace.OtelTracing} uses the OpenTelemetry API. Depends on nothing else in core.
 */
package dev.beach.impl.trace;
