package dev.beach.compute;

import dev.beach.ActorSpec;
import dev.beach.BeachException;
import dev.beach.BeachNode;
import dev.beach.ErrorCode;
import dev.beach.Placement;
import dev.beach.testkit.Await;
import dev.beach.testkit.TestCluster;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What jobs promise, run the same on one plain node and on a cluster: results equal a local computation,
 * in order or each exactly once, per-item failures beside the values, bad inputs reported where they are.
 */
abstract class JobsSuite {

  static final String REALM = "compute";
  static final String MATH = "math";
  static final int WORKERS_PER_NODE = 2;

  final TestCluster cluster;
  final Jobs jobs;

  JobsSuite(TestCluster cluster) {
    this.cluster = cluster;
    int expected = WORKERS_PER_NODE * cluster.size();
    // One test instance per test, one cluster per class: deploy the workers for the first test only.
    if (cluster.beach(0).directory(REALM, MATH).size() < expected) {
      deployWorkers(cluster, expected);
    }
    this.jobs = Jobs.create(cluster.node(0));
  }

  private static void deployWorkers(TestCluster cluster, int expected) {
    for (BeachNode node : cluster.nodes()) {
      Await.result(node.beach().deploy(ActorSpec.of(REALM, TestWorkers.Square.class, MATH)
        .setInstances(WORKERS_PER_NODE).setPlacement(Placement.nodeId(node.id()))));
    }
    Await.until("every node sees every worker", Duration.ofSeconds(10), () -> cluster.nodes().stream()
      .allMatch(n -> n.beach().directory(REALM, MATH).size() == expected));
  }

  static List<Integer> range(int n) {
    List<Integer> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(i);
    }
    return out;
  }

  @Test
  void orderedResultsOf100kItemsEqualALocalComputation() {
    int n = 100_000;
    JobResult result = Await.result(jobs.map(REALM, MATH, "square", range(n), new JobOptions().setChunkSize(500)),
      Duration.ofSeconds(60));
    List<Long> expected = LongStream.range(0, n).map(i -> i * i).boxed().collect(Collectors.toList());
    List<Long> got = result.values().stream().map(v -> ((Number) v).longValue()).collect(Collectors.toList());
    assertEquals(expected, got);
    assertTrue(result.ok(), "errors: " + result.errors());
    assertEquals(n, result.progress().done());
    assertEquals(n, result.progress().total());
    assertEquals(0, result.progress().failed());
    assertEquals(n, result.progress().read());
    assertEquals(JobState.SUCCEEDED, result.progress().state());
  }

  @Test
  void everyNodesWorkersGetWork() {
    JobResult r = Await.result(jobs.map(REALM, MATH, "where", range(4000), new JobOptions().setChunkSize(20)));
    assertTrue(r.ok(), "errors: " + r.errors());
    java.util.Set<String> nodes = new java.util.TreeSet<>();
    for (int i = 0; i < r.size(); i++) {
      io.vertx.core.json.JsonArray v = r.value(i);
      assertEquals((long) i * i, v.getLong(0));
      nodes.add(v.getString(1));
    }
    assertEquals(cluster.nodes().stream().map(BeachNode::id).collect(Collectors.toCollection(java.util.TreeSet::new)), nodes);
  }

  @Test
  void orderedStreamDeliversEveryIndexInOrder() {
    int n = 20_000;
    JobStream stream = jobs.stream(REALM, MATH, "square", JobInput.of(range(n)), new JobOptions().setChunkSize(100)
      .setMaxBufferedResults(1000));
    List<ItemResult> got = collect(stream);
    assertEquals(n, got.size());
    for (int i = 0; i < n; i++) {
      assertEquals(i, got.get(i).index());
      assertEquals((long) i * i, ((Number) got.get(i).value()).longValue());
    }
    assertEquals(JobState.SUCCEEDED, stream.state());
  }

  @Test
  void unorderedStreamYieldsEachIndexExactlyOnce() {
    int n = 20_000;
    JobStream stream = jobs.streamUnordered(REALM, MATH, "square", JobInput.of(range(n)), new JobOptions().setChunkSize(50));
    List<ItemResult> got = collect(stream);
    BitSet seen = new BitSet(n);
    for (ItemResult r : got) {
      int i = (int) r.index();
      assertFalse(seen.get(i), "index " + i + " twice");
      seen.set(i);
      assertEquals((long) i * i, ((Number) r.value()).longValue());
    }
    assertEquals(n, seen.cardinality());
    assertEquals(n, got.size());
  }

  @Test
  void perItemFailuresAreReportedBesideThePartialResults() {
    List<Object> inputs = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      inputs.add(i % 100 == 42 ? -i : i);
    }
    inputs.set(500, "boom");
    inputs.set(600, new Object()); // not JSON: fails where it is, never sent
    JobResult result = Await.result(jobs.map(REALM, MATH, "check", inputs, new JobOptions().setChunkSize(64)));
    assertEquals(1000, result.size());
    List<Long> failedAt = result.errors().stream().map(ItemResult::index).collect(Collectors.toList());
    List<Long> expected = new ArrayList<>();
    for (long i = 0; i < 1000; i++) {
      if (i % 100 == 42 || i == 500 || i == 600) {
        expected.add(i);
      }
    }
    assertEquals(expected, failedAt);
    for (ItemResult e : result.errors()) {
      BeachException error = e.error();
      if (e.index() == 500) {
        assertEquals(ErrorCode.ACTOR_FAILED, error.code(), error.toString());
        assertTrue(error.getMessage().contains("boom"), error.getMessage());
      } else if (e.index() == 600) {
        assertEquals(ErrorCode.BAD_REQUEST, error.code());
        assertTrue(error.getMessage().contains("not a JSON value"), error.getMessage());
      } else {
        assertEquals(ErrorCode.BAD_REQUEST, error.code());
        assertEquals("negative input " + (-e.index()), error.getMessage());
        assertNotEquals(null, error.actor(), "the failure names the actor that failed it");
      }
      assertNull(result.values().get((int) e.index()));
      assertFalse(e.ok());
    }
    for (int i = 0; i < 1000; i++) {
      if (!expected.contains((long) i)) {
        assertEquals((long) i * i, ((Number) result.value(i)).longValue());
      }
    }
    assertEquals(1000 - expected.size(), result.progress().done());
    assertEquals(expected.size(), result.progress().failed());
    assertEquals(JobState.SUCCEEDED, result.progress().state());
  }

  @Test
  void mapOverAnEmptyInputSucceedsWithNoResults() {
    JobResult result = Await.result(jobs.map(REALM, MATH, "square", List.of()));
    assertEquals(0, result.size());
    assertTrue(result.ok());
  }

  @Test
  void applyReachesEveryWorkerOnce() {
    List<String> ids = Await.result(jobs.apply(REALM, MATH, "whoami", null)).stream()
      .map(r -> (String) r.data()).sorted().collect(Collectors.toList());
    List<String> expected = cluster.beach(0).directory(REALM, MATH).stream().map(a -> a.id()).sorted()
      .collect(Collectors.toList());
    assertEquals(expected, ids);
  }

  @Test
  void submitAnswersWithTheValueAndFailsWithTheActorsError() {
    JobFuture<Long> ok = jobs.submit(REALM, MATH, "square", 12);
    assertEquals(144L, ((Number) Await.result(ok)).longValue());
    assertEquals(JobState.SUCCEEDED, Await.result(ok.ended()));
    JobFuture<Object> bad = jobs.submit(REALM, MATH, "check", -3);
    BeachException e = Await.failure(bad);
    assertEquals(ErrorCode.BAD_REQUEST, e.code());
    assertEquals(JobState.FAILED, bad.state());
    assertEquals(1, bad.progress().failed());
  }

  @Test
  void anEmptyCategoryFailsTheJobWith503AndBadNamesWith400() {
    BeachException none = Await.failure(jobs.map(REALM, "nobody.here", "square", range(3)));
    assertEquals(ErrorCode.NO_ACTORS, none.code());
    assertTrue(none.getMessage().contains("nobody.here"), none.getMessage());
    BeachException bad = Await.failure(jobs.map("Bad Realm!", MATH, "square", range(3)));
    assertEquals(ErrorCode.BAD_REQUEST, bad.code());
    assertTrue(bad.getMessage().contains("must match"), bad.getMessage());
  }

  @Test
  void anOpNoWorkerHandlesFailsTheJobWith404() {
    BeachException e = Await.failure(jobs.map(REALM, MATH, "noSuchOp", range(500), new JobOptions().setChunkSize(10)));
    assertEquals(ErrorCode.NOT_FOUND, e.code(), e.toString());
    assertTrue(e.getMessage().contains("noSuchOp"), e.getMessage());
  }

  /** Reads a stream to its end, failing on its exception. */
  static List<ItemResult> collect(JobStream stream) {
    List<ItemResult> out = java.util.Collections.synchronizedList(new ArrayList<>());
    Promise<Void> done = Promise.promise();
    stream.exceptionHandler(done::tryFail);
    stream.endHandler(v -> done.tryComplete());
    stream.handler(out::add);
    Await.result(done.future(), Duration.ofSeconds(60));
    return new ArrayList<>(out);
  }

  static JsonObject progressJson(Job job) {
    return job.toJson().getJsonObject("progress");
  }

  static <T> T await(Future<T> f) {
    return Await.result(f);
  }
}
