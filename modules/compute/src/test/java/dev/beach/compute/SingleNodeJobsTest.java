package dev.beach.compute;

import dev.beach.ActorSpec;
import dev.beach.Address;
import dev.beach.BeachException;
import dev.beach.ErrorCode;
import dev.beach.testkit.Await;
import dev.beach.testkit.BeachCluster;
import dev.beach.testkit.TestCluster;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The suite on one plain node, plus what needs timing control: cancel, timeouts, retries, files, events. */
@BeachCluster(nodes = 1, clustered = false)
class SingleNodeJobsTest extends JobsSuite {

  private static int categories;
  private final List<String> own = new ArrayList<>();

  SingleNodeJobsTest(TestCluster cluster) {
    super(cluster);
  }

  /** Two workers of a category of the test's own, so slow work left by another test cannot skew its timing. */
  private String ownWorkers() {
    String category = "own.c" + (++categories);
    Await.result(cluster.beach(0).deploy(ActorSpec.of(REALM, TestWorkers.Square.class, category).setInstances(2)));
    own.add(category);
    return category;
  }

  @AfterEach
  void stopOwnWorkers() {
    for (String category : own) {
      Await.result(cluster.beach(0).stop(REALM, category));
    }
  }

  @Test
  void cancelStopsDispatchFreesTheWorkersAndFailsWith409() {
    String cat = ownWorkers();
    long handledBefore = TestWorkers.HANDLED.get();
    JobFuture<JobResult> job = jobs.map(REALM, cat, "slow", range(2000), new JobOptions().setChunkSize(5));
    Await.until("some items done", Duration.ofSeconds(10), () -> job.progress().done() >= 20);
    assertTrue(job.cancel());
    assertFalse(job.cancel(), "a second cancel finds the job ended");
    BeachException e = Await.failure(job);
    assertEquals(ErrorCode.CONFLICT, e.code());
    assertTrue(e.getMessage().contains("cancelled"), e.getMessage());
    assertEquals(JobState.CANCELLED, job.state());
    assertTrue(e.details().getLong("done") >= 20, e.toString());
    assertEquals(0L, e.details().getJsonArray("completed").getJsonArray(0).getLong(0));
    // Each worker finishes the chunks it held at the cancel (at most 2 of 5 items each), then gets nothing more:
    // both fall idle, having handled no more than the items done plus those chunks.
    Await.until("both workers idle", Duration.ofSeconds(10), () -> Await.result(cluster.beach(0).actors(REALM, cat))
      .stream().allMatch(a -> a.stats().pending() == 0));
    long handled = TestWorkers.HANDLED.get() - handledBefore;
    long done = e.details().getLong("done");
    long held = 2L * JobOptions.DEFAULT_IN_FLIGHT_PER_WORKER * 5;
    assertTrue(handled >= done && handled <= done + held,
      "workers kept getting items after cancel: " + handled + " handled, " + done + " done, at most " + held + " held");
    // Callbacks added after completion still fire.
    Promise<Throwable> late = Promise.promise();
    job.onFailure(late::complete);
    assertEquals(e, Await.result(late.future()));
    assertEquals(JobState.CANCELLED, Await.result(job.ended()));
  }

  @Test
  void jobTimeoutFailsWith504AndListsWhatCompleted() {
    String cat = ownWorkers();
    JobFuture<JobResult> job = jobs.map(REALM, cat, "slow", range(1000), new JobOptions().setChunkSize(5).setJobTimeoutMs(400));
    BeachException e = Await.failure(job);
    assertEquals(ErrorCode.TIMEOUT, e.code());
    assertEquals(JobState.TIMED_OUT, job.state());
    assertTrue(e.getMessage().contains("jobTimeoutMs"), e.getMessage());
    long done = e.details().getLong("done");
    assertTrue(done > 0 && done < 1000, e.toString());
    JsonArray completed = e.details().getJsonArray("completed");
    long listed = 0;
    for (Object r : completed) {
      JsonArray range = (JsonArray) r;
      listed += range.getLong(1) - range.getLong(0) + 1;
    }
    assertEquals(done, listed, "the completed ranges cover exactly the items done: " + completed);
    assertEquals(ErrorCode.TIMEOUT, job.error().code());
  }

  @Test
  void aTimedOutChunkIsRetriedAndEachItemYieldsOneResult() {
    String cat = ownWorkers();
    TestWorkers.SLOWED.clear();
    long calls = TestWorkers.SLOW_ONCE_CALLS.get();
    JobResult r = Await.result(jobs.map(REALM, cat, "slowOnce", range(40),
      new JobOptions().setChunkSize(10).setChunkTimeoutMs(300).setRetries(2)));
    assertTrue(r.ok(), "errors: " + r.errors());
    for (int i = 0; i < 40; i++) {
      assertEquals((long) i * i, ((Number) r.value(i)).longValue());
    }
    // Items 0..7 ran before item 7 stalled, then the whole chunk ran again elsewhere.
    assertTrue(TestWorkers.SLOW_ONCE_CALLS.get() - calls >= 48, "calls: " + (TestWorkers.SLOW_ONCE_CALLS.get() - calls));
  }

  @Test
  void aChunkThatKeepsTimingOutFailsItsItemsAfterTheRetries() {
    String cat = ownWorkers();
    JobResult r = Await.result(jobs.map(REALM, cat, "slow", range(20),
      new JobOptions().setChunkSize(10).setChunkTimeoutMs(60).setRetries(1)));
    assertEquals(20, r.errors().size());
    for (ItemResult e : r.errors()) {
      assertEquals(ErrorCode.TIMEOUT, e.error().code(), e.toString());
      assertEquals(2, e.error().details().getInteger("attempts"));
    }
    assertEquals(JobState.SUCCEEDED, r.progress().state());
  }

  @Test
  void anNdjsonFileLargerThanTheBufferIsStreamedWithBoundedMemory(@TempDir Path dir) throws IOException {
    int n = 60_000;
    Path file = dir.resolve("in.ndjson");
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (int k = 0; k < n; k++) {
        w.write(k == 200 ? "{oops" : Integer.toString(k));
        w.write('\n');
        if (k == 99) {
          w.write("   \n"); // blank lines are not inputs
        }
      }
    }
    JobOptions options = new JobOptions().setChunkSize(50).setMaxBufferedResults(500);
    JobStream stream = jobs.stream(REALM, MATH, "square", JobInput.ndjsonFile(file.toString()), options);
    Vertx vertx = cluster.node(0).vertx();
    List<ItemResult> got = Collections.synchronizedList(new ArrayList<>());
    Promise<Void> done = Promise.promise();
    stream.exceptionHandler(done::tryFail).endHandler(v -> done.tryComplete());
    // A reader slower than the workers: it takes 2,000 results, then looks away for a moment.
    stream.handler(r -> {
      got.add(r);
      if (got.size() % 2000 == 0) {
        stream.pause();
        vertx.setTimer(5, t -> stream.resume());
      }
    });
    Await.result(done.future(), Duration.ofSeconds(60));
    assertEquals(n, got.size());
    for (int i = 0; i < n; i++) {
      ItemResult r = got.get(i);
      assertEquals(i, r.index());
      if (i == 200) {
        assertEquals(ErrorCode.BAD_REQUEST, r.error().code());
        assertTrue(r.error().getMessage().contains("line 202 is not JSON"), r.error().getMessage());
      } else {
        assertEquals((long) i * i, ((Number) r.value()).longValue());
      }
    }
    JobProgress p = stream.progress();
    assertEquals(n, p.total());
    assertEquals(n, p.read());
    // What the job held at once: the reader's window, the chunks in flight (2 workers × 2) and those read ahead.
    long bound = options.getMaxBufferedResults() + options.getChunkSize() * (2L * 2 + 4 + 2);
    assertTrue(p.peakHeld() > 0 && p.peakHeld() <= bound, "held at most " + p.peakHeld() + " items, bound " + bound);
    assertTrue(p.peakHeld() < n / 10, "peak " + p.peakHeld());
  }

  @Test
  void aMissingInputFileFailsTheJobWith400() {
    BeachException e = Await.failure(jobs.map(REALM, MATH, "square", JobInput.ndjsonFile("/no/such/file.ndjson"),
      new JobOptions()));
    assertEquals(ErrorCode.BAD_REQUEST, e.code());
    assertTrue(e.getMessage().contains("/no/such/file.ndjson"), e.getMessage());
  }

  @Test
  void awaitAllReportsWhichFuturesTimedOut() {
    String cat = ownWorkers();
    JobFuture<Object> fast = jobs.submit(REALM, MATH, "square", 3);
    JobFuture<JobResult> slow = jobs.map(REALM, cat, "slow", range(400), new JobOptions().setChunkSize(10));
    AwaitResult first = Await.result(jobs.awaitAll(List.of(fast, slow), 300));
    assertEquals(List.of(0), first.succeeded());
    assertEquals(List.of(1), first.timedOut());
    assertFalse(first.allCompleted());
    slow.cancel();
    AwaitResult second = Await.result(jobs.awaitAll(List.of(fast, slow), 10_000));
    assertEquals(List.of(0), second.succeeded());
    assertEquals(List.of(1), second.failed());
    assertTrue(second.allCompleted());
    assertTrue(Await.result(jobs.awaitAll(List.of(), 10)).allCompleted());
  }

  @Test
  void aSessionCancelsWhatItStartedWhenClosed() {
    String cat = ownWorkers();
    JobFuture<JobResult> inside;
    try (JobSession session = jobs.session()) {
      inside = session.map(REALM, cat, "slow", range(500), new JobOptions().setChunkSize(5));
      assertEquals(4L, ((Number) Await.result(session.submit(REALM, cat, "square", 2))).longValue());
    }
    assertEquals(ErrorCode.CONFLICT, Await.failure(inside).code());
    assertEquals(JobState.CANCELLED, inside.state());
    JobSession closed = jobs.session();
    closed.close();
    assertEquals(ErrorCode.CONFLICT, Await.failure(closed.map(REALM, cat, "square", range(3))).code());
  }

  @Test
  void progressIsPublishedAtMostTwiceASecondAndOnceAtTheEnd() {
    String cat = ownWorkers();
    Vertx vertx = cluster.node(0).vertx();
    List<JsonObject> events = Collections.synchronizedList(new ArrayList<>());
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(Address.EVENTS, m -> {
      if (JobProgress.EVENT_TYPE.equals(m.body().getString("type"))) {
        events.add(m.body());
      }
    });
    Await.result(consumer.completion());
    try {
      JobFuture<JobResult> job = jobs.map(REALM, cat, "slow", range(150), new JobOptions().setChunkSize(5));
      JobResult r = Await.result(job);
      Await.until("the final progress event", Duration.ofSeconds(5), () -> mine(events, job.id()).stream()
        .anyMatch(e -> "succeeded".equals(e.getString("state"))));
      List<JsonObject> mine = mine(events, job.id());
      JsonObject last = mine.get(mine.size() - 1);
      assertEquals("succeeded", last.getString("state"));
      assertEquals(150L, last.getLong("done"));
      assertEquals(150L, last.getLong("total"));
      assertEquals(0L, last.getLong("failed"));
      assertEquals(cluster.node(0).id(), last.getString("node"));
      assertTrue(last.getDouble("rate") > 0, last.encode());
      assertTrue(mine.size() >= 2, "events: " + mine);
      assertEquals("running", mine.get(0).getString("state"));
      long allowed = r.progress().elapsedMs() / JobProgressLimits.PERIOD_MS + 2;
      assertTrue(mine.size() <= allowed, mine.size() + " events in " + r.progress().elapsedMs() + " ms");
    } finally {
      consumer.unregister();
    }
  }

  private static List<JsonObject> mine(List<JsonObject> events, String id) {
    synchronized (events) {
      return events.stream().filter(e -> id.equals(e.getString("job"))).collect(Collectors.toList());
    }
  }

  @Test
  void keptResultsAreReadAsNdjsonAnyNumberOfTimesUntilRemoved() {
    List<Integer> inputs = range(100);
    inputs.set(13, -13);
    Job job = jobs.start(REALM, MATH, "check", JobInput.of(inputs), new JobOptions().setChunkSize(7));
    assertEquals(JobState.SUCCEEDED, Await.result(job.ended()));
    Collector first = new Collector();
    Await.result(job.pipeResultsTo(first));
    List<JsonObject> lines = first.lines();
    assertEquals(100, lines.size());
    for (int i = 0; i < 100; i++) {
      JsonObject line = lines.get(i);
      assertEquals(i, line.getLong("i"));
      if (i == 13) {
        assertFalse(line.getBoolean("ok"));
        assertEquals(400, line.getJsonObject("error").getInteger("code"));
      } else {
        assertEquals((long) i * i, line.getLong("value"));
      }
    }
    Collector second = new Collector();
    Await.result(jobs.job(job.id()).pipeResultsTo(second));
    assertEquals(first.text(), second.text());
    JsonObject status = jobs.job(job.id()).toJson();
    assertEquals("succeeded", status.getString("state"));
    assertTrue(status.getBoolean("kept"));
    assertEquals(99L, status.getJsonObject("progress").getLong("done"));
    assertTrue(jobs.jobs().stream().anyMatch(j -> j.id().equals(job.id())));

    Await.result(jobs.remove(job.id()));
    assertNull(jobs.job(job.id()));
    Await.failure(job.pipeResultsTo(new Collector()));
    assertEquals(ErrorCode.NOT_FOUND, Await.failure(jobs.remove(job.id())).code());
  }

  @Test
  void keptResultsCanBeFollowedWhileTheJobRuns() {
    String cat = ownWorkers();
    Job job = jobs.start(REALM, cat, "slow", JobInput.of(range(120)), new JobOptions().setChunkSize(5).setOrdered(false));
    Collector out = new Collector();
    Await.result(job.pipeResultsTo(out), Duration.ofSeconds(30));
    assertEquals(JobState.SUCCEEDED, job.state());
    BitSet seen = new BitSet();
    for (JsonObject line : out.lines()) {
      int i = line.getInteger("i");
      assertFalse(seen.get(i), "index " + i + " twice");
      seen.set(i);
    }
    assertEquals(120, seen.cardinality());
  }

  @Test
  void gatheredJobsDoNotKeepResults() {
    JobFuture<JobResult> job = jobs.map(REALM, MATH, "square", range(10));
    Await.result(job);
    assertEquals(ErrorCode.CONFLICT, Await.failure(job.pipeResultsTo(new Collector())).code());
    assertFalse(job.toJson().getBoolean("kept"));
  }

  @Test
  void workersThatJoinMidJobGetWork() {
    String cat = ownWorkers();
    Await.result(cluster.beach(0).stop(REALM, cat));
    Await.result(cluster.beach(0).deploy(ActorSpec.of(REALM, TestWorkers.Square.class, cat).setInstances(1)));
    JobFuture<JobResult> job = jobs.map(REALM, cat, "slowWho", range(400), new JobOptions().setChunkSize(5));
    Await.until("a tenth done", Duration.ofSeconds(10), () -> job.progress().done() >= 40);
    List<String> added = Await.result(cluster.beach(0).deploy(ActorSpec.of(REALM, TestWorkers.Square.class, cat)
      .setInstances(2)));
    JobResult r = Await.result(job);
    assertTrue(r.ok(), "errors: " + r.errors());
    java.util.Set<String> by = new java.util.HashSet<>();
    for (int i = 0; i < r.size(); i++) {
      JsonArray v = r.value(i);
      assertEquals((long) i * i, v.getLong(0));
      by.add(v.getString(1));
    }
    assertTrue(by.containsAll(added), "the new workers got no work: " + by + " vs " + added);
  }

  @Test
  void aWorkerStoppedMidJobLosesNoInput() {
    String cat = ownWorkers();
    List<String> ids = Await.result(cluster.beach(0).deploy(ActorSpec.of(REALM, TestWorkers.Square.class, cat)
      .setInstances(1)));
    JobStream stream = jobs.streamUnordered(REALM, cat, "slowWho", JobInput.of(range(600)), new JobOptions().setChunkSize(5));
    List<ItemResult> got = Collections.synchronizedList(new ArrayList<>());
    Promise<Void> done = Promise.promise();
    stream.exceptionHandler(done::tryFail).endHandler(v -> done.tryComplete()).handler(got::add);
    Await.until("some done", Duration.ofSeconds(10), () -> stream.progress().done() >= 60);
    Await.result(cluster.beach(0).stop(ids.get(0)));
    // The stopped actor's timer-driven item never answers: its chunk must go elsewhere, not wait 60 s.
    Await.result(done.future(), Duration.ofSeconds(15));
    BitSet seen = new BitSet();
    for (ItemResult r : got) {
      assertTrue(r.ok(), r.toString());
      assertFalse(seen.get((int) r.index()), "index " + r.index() + " twice");
      seen.set((int) r.index());
      assertEquals(r.index() * r.index(), ((JsonArray) r.value()).getLong(0));
    }
    assertEquals(600, seen.cardinality());
  }

  @Test
  void aReadStreamOfInputsIsReadOnlyAsFastAsWorkersTakeIt() {
    ListStream<Integer> inputs = new ListStream<>(cluster.node(0).vertx().getOrCreateContext(), range(20_000));
    JobOptions options = new JobOptions().setChunkSize(20).setMaxBufferedResults(200);
    JobFuture<JobResult> job = jobs.map(REALM, MATH, "square", JobInput.of(inputs), options);
    JobResult r = Await.result(job);
    assertEquals(20_000, r.size());
    assertTrue(r.ok());
    for (int i = 0; i < r.size(); i++) {
      assertEquals((long) i * i, ((Number) r.value(i)).longValue());
    }
    // The bound is the property: an input stream read ahead of the workers would put all 20,000 items in the
    // job at once. How often the feed calls pause() (once, then fetch(n), or many times) depends on timing.
    assertTrue(inputs.pauses >= 1, "the stream was never paused: it was read ahead of the workers");
    assertTrue(r.progress().peakHeld() < 2000, "held " + r.progress().peakHeld());
  }

  @Test
  void anNdjsonByteStreamIsCutIntoInputs(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("bytes.ndjson");
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 5000; i++) {
      text.append(i).append(i % 7 == 0 ? "\r\n" : "\n");
    }
    text.append("5000"); // the last line needs no newline
    Files.writeString(file, text.toString());
    io.vertx.core.file.AsyncFile bytes = Await.result(cluster.node(0).vertx().fileSystem().open(file.toString(),
      new io.vertx.core.file.OpenOptions().setRead(true)));
    JobResult r = Await.result(jobs.map(REALM, MATH, "square", JobInput.ndjson(bytes), new JobOptions().setChunkSize(64)));
    assertEquals(5001, r.size());
    assertTrue(r.ok(), "errors: " + r.errors());
    assertEquals(5000L * 5000, ((Number) r.value(5000)).longValue());
    assertEquals(5001, r.progress().total());
  }

  @Test
  void aKeptJobCancelledAtOnceStillAnswersItsResults() {
    Job job = jobs.start(REALM, MATH, "square", JobInput.of(range(100_000)), new JobOptions().setChunkSize(10));
    job.cancel();
    assertEquals(JobState.CANCELLED, Await.result(job.ended()));
    Collector out = new Collector();
    Await.result(job.pipeResultsTo(out));
    assertTrue(out.lines().size() < 100_000);
    assertEquals(ErrorCode.CONFLICT, jobs.job(job.id()).error().code());
  }

  /** The period the implementation promises not to exceed, restated here as the test's own figure. */
  static final class JobProgressLimits {
    static final long PERIOD_MS = 500;
  }
}
