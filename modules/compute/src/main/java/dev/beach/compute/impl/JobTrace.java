package dev.beach.compute.impl;

import dev.beach.BeachException;
import dev.beach.compute.JobState;
import dev.beach.spi.TraceSupport;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;

import java.util.ArrayList;
import java.util.List;

/**
 * A job's span ({@code job <op>}, child of whatever was current where the job was created: the HTTP request that
 * started it, the handler of the actor that did) and the spans of a sample of its chunks ({@code chunk <op>}), each
 * the parent of its {@code _batch} requests, one per attempt. Sampled so that a million-item job does not make a
 * million spans: the first {@link #FIRST_CHUNKS} chunks and then every {@link #EVERY_NTH}th. The requests of the
 * other chunks carry the job's trace marked "not sampled", so with the default parent-based sampler neither they nor
 * the workers' handling of them are recorded (and they start no trace of their own). Exists only when the node
 * traces; everything here runs on the job's context.
 */
final class JobTrace {

  static final int FIRST_CHUNKS = 10;
  static final int EVERY_NTH = 100;

  static final AttributeKey<String> JOB_ID = AttributeKey.stringKey("beach.job.id");
  static final AttributeKey<String> JOB_STATE = AttributeKey.stringKey("beach.job.state");
  static final AttributeKey<Long> ITEMS = AttributeKey.longKey("beach.job.items");
  static final AttributeKey<Long> DONE = AttributeKey.longKey("beach.job.done");
  static final AttributeKey<Long> FAILED = AttributeKey.longKey("beach.job.failed");
  static final AttributeKey<Long> CHUNKS = AttributeKey.longKey("beach.job.chunks");
  static final AttributeKey<Long> CHUNKS_TRACED = AttributeKey.longKey("beach.job.chunks_traced");
  static final AttributeKey<Long> CHUNK_INDEX = AttributeKey.longKey("beach.chunk.index");
  static final AttributeKey<Long> CHUNK_FIRST = AttributeKey.longKey("beach.chunk.first_item");
  static final AttributeKey<Long> CHUNK_ITEMS = AttributeKey.longKey("beach.chunk.items");
  static final AttributeKey<Long> CHUNK_FAILED = AttributeKey.longKey("beach.chunk.failed");
  static final AttributeKey<Long> ATTEMPTS = AttributeKey.longKey("beach.chunk.attempts");
  static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("beach.chunk.attempt");
  static final AttributeKey<String> WORKER = AttributeKey.stringKey("beach.actor.id");

  private final Tracer tracer;
  private final String op;
  private final Span span;
  /** The job's span in the context it was created in: the parent of its chunks and of calls from its context. */
  final Context context;
  /** What an unsampled chunk's requests go out under: the job's trace, flagged not sampled. */
  private final Context unsampled;
  private final List<Span> openChunks = new ArrayList<>();
  private long chunks;
  private long traced;

  private JobTrace(Tracer tracer, JobBase job) {
    this.tracer = tracer;
    this.op = job.op;
    Context parent = TraceSupport.current();
    this.span = tracer.spanBuilder("job " + job.op).setParent(parent)
      .setAttribute(TraceSupport.REALM, job.realm).setAttribute(TraceSupport.CATEGORY, job.category)
      .setAttribute(TraceSupport.OP, job.op).setAttribute(JOB_ID, job.id).setAttribute(TraceSupport.NODE, job.jobs.nodeId())
      .startSpan();
    this.context = parent.with(span);
    SpanContext sc = span.getSpanContext();
    this.unsampled = !sc.isSampled() ? context : Context.root().with(Span.wrap(SpanContext.create(sc.getTraceId(),
      sc.getSpanId(), TraceFlags.getDefault(), sc.getTraceState())));
  }

  /** The trace of a job created now on node {@code job}'s node; null when that node does not trace. */
  static JobTrace start(JobBase job) {
    Tracer tracer = TraceSupport.tracer(job.jobs.nodeId());
    return tracer == null ? null : new JobTrace(tracer, job);
  }

  /** Numbers a fresh chunk and starts its span when it is one of the sample (see the class comment). */
  void chunkCreated(Chunk c) {
    long index = chunks++;
    if (!span.getSpanContext().isSampled() || (index >= FIRST_CHUNKS && index % EVERY_NTH != 0)) {
      return;
    }
    traced++;
    c.span = tracer.spanBuilder("chunk " + op).setParent(context).setAttribute(CHUNK_INDEX, index)
      .setAttribute(CHUNK_FIRST, c.base).setAttribute(CHUNK_ITEMS, (long) c.size).startSpan();
    openChunks.add(c.span);
  }

  /** What the {@code _batch} request of an attempt at {@code c} is sent under; records the attempt on its span. */
  Context attempt(Chunk c, int attempt, String worker) {
    if (c.span == null) {
      return unsampled;
    }
    c.span.addEvent("attempt", Attributes.of(ATTEMPT, (long) attempt, WORKER, worker));
    return context.with(c.span);
  }

  /** {@code c} finished: {@code failed} of its items failed, all of them with {@code error} when it is not null. */
  void chunkFinished(Chunk c, long failed, BeachException error) {
    Span s = c.span;
    if (s == null) {
      return;
    }
    c.span = null;
    openChunks.remove(s);
    s.setAttribute(ATTEMPTS, (long) c.attemptSeq).setAttribute(CHUNK_FAILED, failed);
    if (error != null) {
      s.setAttribute(TraceSupport.OUTCOME, "error").setAttribute(TraceSupport.ERROR_CODE, (long) error.code().code())
        .setStatus(StatusCode.ERROR, error.getMessage());
    } else {
      s.setAttribute(TraceSupport.OUTCOME, "ok");
    }
    s.end();
  }

  /** The job ended in {@code state}; counters as {@link JobBase#counters()} gives them. */
  void end(JobState state, BeachException error, long[] counters) {
    for (Span open : openChunks) {
      // Still out when the job ended (cancelled, timed out, failed): their answer will not be waited for.
      open.setAttribute(TraceSupport.OUTCOME, "abandoned").end();
    }
    openChunks.clear();
    span.setAttribute(JOB_STATE, state.jsonName()).setAttribute(DONE, counters[0]).setAttribute(FAILED, counters[1])
      .setAttribute(CHUNKS, chunks).setAttribute(CHUNKS_TRACED, traced);
    if (counters[2] >= 0) {
      span.setAttribute(ITEMS, counters[2]);
    }
    if (error != null) {
      span.setAttribute(TraceSupport.OUTCOME, "error").setAttribute(TraceSupport.ERROR_CODE, (long) error.code().code())
        .setStatus(StatusCode.ERROR, error.getMessage());
    } else {
      span.setAttribute(TraceSupport.OUTCOME, "ok");
    }
    span.end();
  }
}
