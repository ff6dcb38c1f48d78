package dev.beach.compute.impl;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.beach.ActorSpec;
import dev.beach.BeachNode;
import dev.beach.NodeOptions;
import dev.beach.compute.JobFuture;
import dev.beach.compute.JobInput;
import dev.beach.compute.JobOptions;
import dev.beach.compute.JobResult;
import dev.beach.compute.JobStream;
import dev.beach.compute.Jobs;
import dev.beach.compute.TestWorkers;
import dev.beach.testkit.Await;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A job that stops moving says what it waits on (issue #11: a stall was silent), and a job that is merely waiting
 * for a slow chunk within its timeout does not cry wolf. The warning bound is shortened to {@link #WARN_MS}.
 */
class StallWarningTest {

  private static final String REALM = "stall";
  private static final long WARN_MS = 300;
  private static Vertx vertx;
  private static BeachNode node;
  private static JobsImpl jobs;

  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  private final Logger watchLog = (Logger) LoggerFactory.getLogger(StallWatch.class);

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    node = Await.result(BeachNode.start(vertx, new NodeOptions().setDrainTimeoutMs(500)));
    Await.result(node.beach().deploy(ActorSpec.of(REALM, TestWorkers.Square.class, "sq").setInstances(2)));
    Await.result(node.beach().deploy(ActorSpec.of(REALM, TestWorkers.Square.class, "slow").setInstances(1)
      .setParams(new JsonObject().put("delayMs", 8 * WARN_MS))));
    jobs = (JobsImpl) Jobs.create(node);
    jobs.stallWarnMs(WARN_MS);
  }

  @AfterAll
  static void stop() {
    Await.result(node.close());
    Await.result(vertx.close());
  }

  @BeforeEach
  void listen() {
    logged.start();
    watchLog.addAppender(logged);
  }

  @AfterEach
  void stopListening() {
    watchLog.detachAppender(logged);
  }

  @Test
  void aJobHeldBackByAPausedReaderWarnsNamingItThenSaysWhenItMovesAgain() {
    List<Integer> inputs = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      inputs.add(i);
    }
    JobStream stream = jobs.stream(REALM, "sq", "square", JobInput.of(inputs),
      new JobOptions().setChunkSize(10).setMaxBufferedResults(20));
    AtomicLong taken = new AtomicLong();
    Promise<Void> ended = Promise.promise();
    stream.pause();
    stream.handler(r -> taken.incrementAndGet()).endHandler(v -> ended.complete());
    String id = ((StreamJob) stream).id();

    Await.until("a stall warning for " + id, Duration.ofSeconds(10), () -> !lines(Level.WARN, id).isEmpty());
    String warning = lines(Level.WARN, id).get(0);
    assertTrue(warning.contains("has made no progress for") && warning.contains("held back until the results are taken")
      && warning.contains("the job's reader has paused") && warning.contains("maxBufferedResults 20"), warning);

    stream.resume();
    Await.result(ended.future(), Duration.ofSeconds(30));
    assertEquals(1000, taken.get());
    assertEquals(1, lines(Level.WARN, id).size(), "one warning per stall: " + lines(Level.WARN, id));
    // Whichever comes first after the reader resumed: the next check sees it move, or the job ends.
    assertTrue(lines(Level.INFO, id).stream().anyMatch(l -> l.contains("moves again") || l.contains("ended succeeded")),
      "said it moved again: " + lines(Level.INFO, id));
  }

  @Test
  void aChunkStillWithinItsTimeoutIsNoStall() {
    // One worker takes 8 × the warning bound per item: the job is still, but the chunk timeout bounds the wait.
    JobFuture<JobResult> job = jobs.map(REALM, "slow", "slow", JobInput.of(List.of(1, 2)),
      new JobOptions().setChunkSize(1).setInFlightPerWorker(1));
    JobResult result = Await.result(job, Duration.ofSeconds(30));
    assertEquals(List.of(1L, 4L), result.values().stream().map(v -> ((Number) v).longValue()).toList());
    assertTrue(lines(Level.WARN, job.id()).isEmpty(), "warned about a chunk within its timeout: " + lines(Level.WARN, job.id()));
  }

  private List<String> lines(Level level, String jobId) {
    List<ILoggingEvent> events;
    synchronized (logged) { // the appender adds under this lock, from the jobs' threads
      events = new ArrayList<>(logged.list);
    }
    List<String> out = new ArrayList<>();
    for (ILoggingEvent e : events) {
      if (e.getLevel() == level && e.getFormattedMessage().contains(jobId)) {
        out.add(e.getFormattedMessage());
      }
    }
    return out;
  }
}
