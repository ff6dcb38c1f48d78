package dev.beach.compute.impl;

import dev.beach.Actor;
import dev.beach.ActorSpec;
import dev.beach.BeachNode;
import dev.beach.ErrorCode;
import dev.beach.NodeOptions;
import dev.beach.compute.JobOptions;
import dev.beach.compute.JobResult;
import dev.beach.compute.JobState;
import dev.beach.compute.Jobs;
import dev.beach.compute.TestWorkers;
import dev.beach.spi.TraceSupport;
import dev.beach.testkit.Await;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A job's span and its sampled chunks' spans on a traced node: the first chunks and every hundredth get a span, each
 * the parent of its {@code _batch} requests; a retried chunk records its attempts; failures mark the spans.
 */
class JobTracingTest {

  private static final String REALM = "traced";
  /** Items {@link FirstSlow} already delayed: each of {@link #SLOW_ITEMS} is slow the first time only. */
  static final Set<Long> SLOWED = ConcurrentHashMap.newKeySet();
  static final Set<Long> SLOW_ITEMS = Set.of(3L);

  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private OpenTelemetrySdk sdk;
  private Vertx vertx;
  private BeachNode node;

  /** n -> n * n; item 3 answers after a second the first time it is seen (its chunk times out once). */
  public static class FirstSlow extends Actor {
    @Override
    public Future<?> start() {
      on("square", req -> {
        long n = ((Number) req.body()).longValue();
        if (SLOW_ITEMS.contains(n) && SLOWED.add(n)) {
          after(1000, t -> req.reply(n * n));
        } else {
          req.reply(n * n);
        }
      });
      return super.start();
    }
  }

  @AfterEach
  void tearDown() {
    if (node != null) {
      Await.result(node.close());
    }
    if (vertx != null) {
      Await.result(vertx.close());
    }
    if (sdk != null) {
      sdk.close();
    }
    GlobalOpenTelemetry.resetForTest();
    SLOWED.clear();
  }

  private Jobs start(boolean tracing, Class<? extends Actor> worker) {
    GlobalOpenTelemetry.resetForTest();
    sdk = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
      .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build()).buildAndRegisterGlobal();
    vertx = Vertx.vertx();
    node = Await.result(BeachNode.start(vertx, new NodeOptions().setTracingEnabled(tracing)));
    Await.result(node.beach().deploy(ActorSpec.of(REALM, worker, "work").setInstances(2)));
    exporter.reset();
    return Jobs.create(node);
  }

  /** Runs the job inside a root span (what the gateway's HTTP span is) and returns the root's data. */
  private SpanData traced(Supplier<Future<JobResult>> job, JobState expected) {
    Span root = GlobalOpenTelemetry.getTracer("test").spanBuilder("root").startSpan();
    Future<JobResult> f;
    Scope scope = root.makeCurrent();
    try {
      f = job.get();
    } finally {
      scope.close();
    }
    if (expected == JobState.SUCCEEDED) {
      Await.result(f);
    } else {
      Await.failure(f);
    }
    root.end();
    Await.until("the job's span", Duration.ofSeconds(10), () -> spans("job square").size() == 1);
    return spans("root").get(0);
  }

  private List<SpanData> spans(String name) {
    return exporter.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).collect(Collectors.toList());
  }

  private static List<SpanData> childrenOf(List<SpanData> spans, SpanData parent) {
    return spans.stream().filter(s -> s.getParentSpanId().equals(parent.getSpanId())).collect(Collectors.toList());
  }

  @Test
  void aJobHasOneSpanAndASampleOfItsChunksAreItsChildren() {
    Jobs jobs = start(true, TestWorkers.Square.class);
    List<Long> inputs = LongStream.range(0, 250).boxed().collect(Collectors.toList());
    SpanData root = traced(() -> jobs.map(REALM, "work", "square", inputs, new JobOptions().setChunkSize(1)),
      JobState.SUCCEEDED);
    SpanData job = spans("job square").get(0);
    assertEquals(root.getSpanId(), job.getParentSpanId());
    assertEquals(root.getTraceId(), job.getTraceId());
    assertEquals(250L, job.getAttributes().get(JobTrace.ITEMS));
    assertEquals(250L, job.getAttributes().get(JobTrace.DONE));
    assertEquals(250L, job.getAttributes().get(JobTrace.CHUNKS));
    assertEquals("succeeded", job.getAttributes().get(JobTrace.JOB_STATE));
    assertEquals("ok", job.getAttributes().get(TraceSupport.OUTCOME));
    assertEquals(REALM, job.getAttributes().get(TraceSupport.REALM));
    assertEquals("work", job.getAttributes().get(TraceSupport.CATEGORY));

    // Chunks 0..9, 100 and 200: the first ten and every hundredth, not 250 spans.
    Set<Long> expected = new TreeSet<>(List.of(100L, 200L));
    IntStream.range(0, JobTrace.FIRST_CHUNKS).forEach(i -> expected.add((long) i));
    assertEquals((long) expected.size(), job.getAttributes().get(JobTrace.CHUNKS_TRACED));
    List<SpanData> chunks = spans("chunk square");
    assertEquals(expected, chunks.stream().map(c -> c.getAttributes().get(JobTrace.CHUNK_INDEX))
      .collect(Collectors.toCollection(TreeSet::new)));
    List<SpanData> requests = spans("request _batch");
    List<SpanData> handled = spans("handle _batch");
    assertEquals(expected.size(), requests.size(), "an unsampled chunk's request is not recorded");
    assertEquals(expected.size(), handled.size(), "nor is its handling");
    for (SpanData chunk : chunks) {
      assertEquals(job.getSpanId(), chunk.getParentSpanId());
      assertEquals(1L, chunk.getAttributes().get(JobTrace.ATTEMPTS));
      assertEquals("ok", chunk.getAttributes().get(TraceSupport.OUTCOME));
      SpanData request = childrenOf(requests, chunk).get(0);
      assertEquals(SpanKind.CLIENT, request.getKind());
      assertEquals(1, childrenOf(handled, request).size());
    }
    assertEquals(1, exporter.getFinishedSpanItems().stream().map(SpanData::getTraceId).distinct().count(),
      "no chunk started a trace of its own");
  }

  @Test
  void aRetriedChunkRecordsItsAttemptsAndFailuresMarkTheSpans() {
    Jobs jobs = start(true, FirstSlow.class);
    List<Long> inputs = LongStream.range(0, 10).boxed().collect(Collectors.toList());
    traced(() -> jobs.map(REALM, "work", "square", inputs, new JobOptions().setChunkSize(2).setChunkTimeoutMs(300)
      .setRetries(2)), JobState.SUCCEEDED);
    SpanData chunk = spans("chunk square").stream().filter(c -> c.getAttributes().get(JobTrace.CHUNK_FIRST) == 2L)
      .findFirst().orElseThrow();
    assertEquals(2L, chunk.getAttributes().get(JobTrace.ATTEMPTS));
    assertEquals(List.of(1L, 2L), chunk.getEvents().stream().filter(e -> e.getName().equals("attempt"))
      .map(e -> e.getAttributes().get(JobTrace.ATTEMPT)).collect(Collectors.toList()));
    assertEquals("ok", chunk.getAttributes().get(TraceSupport.OUTCOME));
    List<SpanData> attempts = childrenOf(spans("request _batch"), chunk);
    assertEquals(2, attempts.size());
    assertTrue(attempts.stream().anyMatch(a -> a.getStatus().getStatusCode() == StatusCode.ERROR
      && Long.valueOf(ErrorCode.TIMEOUT.code()).equals(a.getAttributes().get(TraceSupport.ERROR_CODE))), attempts::toString);

    // No retries: the chunk fails as a whole (its span is an error), the job still succeeds with failed items.
    exporter.reset();
    SLOWED.clear();
    traced(() -> jobs.map(REALM, "work", "square", inputs, new JobOptions().setChunkSize(2).setChunkTimeoutMs(300)
      .setRetries(0)), JobState.SUCCEEDED);
    SpanData failed = spans("chunk square").stream().filter(c -> c.getAttributes().get(JobTrace.CHUNK_FIRST) == 2L)
      .findFirst().orElseThrow();
    assertEquals(StatusCode.ERROR, failed.getStatus().getStatusCode());
    assertEquals((long) ErrorCode.TIMEOUT.code(), failed.getAttributes().get(TraceSupport.ERROR_CODE));
    assertEquals(2L, failed.getAttributes().get(JobTrace.CHUNK_FAILED));
    SpanData job = spans("job square").get(0);
    // (A chunk queued behind the slow one on its worker may time out too: which ones failed varies, not the sum.)
    assertEquals(spans("chunk square").stream().mapToLong(c -> c.getAttributes().get(JobTrace.CHUNK_FAILED)).sum(),
      job.getAttributes().get(JobTrace.FAILED));
    assertEquals(StatusCode.UNSET, job.getStatus().getStatusCode());

    // A job that fails as a whole: its span is an error with the job's code.
    exporter.reset();
    traced(() -> jobs.map(REALM, "nobody", "square", inputs, new JobOptions()), JobState.FAILED);
    SpanData noWorkers = spans("job square").get(0);
    assertEquals(StatusCode.ERROR, noWorkers.getStatus().getStatusCode());
    assertEquals((long) ErrorCode.NO_ACTORS.code(), noWorkers.getAttributes().get(TraceSupport.ERROR_CODE));
    assertEquals("failed", noWorkers.getAttributes().get(JobTrace.JOB_STATE));
  }

  @Test
  void offMakesNoJobSpans() {
    Jobs jobs = start(false, TestWorkers.Square.class);
    List<Long> inputs = LongStream.range(0, 30).boxed().collect(Collectors.toList());
    Span root = GlobalOpenTelemetry.getTracer("test").spanBuilder("root").startSpan();
    Scope scope = root.makeCurrent();
    Future<JobResult> f;
    try {
      f = jobs.map(REALM, "work", "square", inputs, new JobOptions().setChunkSize(1));
    } finally {
      scope.close();
    }
    Await.result(f);
    root.end();
    assertEquals(List.of("root"), exporter.getFinishedSpanItems().stream().map(SpanData::getName)
      .collect(Collectors.toList()));
  }

}
