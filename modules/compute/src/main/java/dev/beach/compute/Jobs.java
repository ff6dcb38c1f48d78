package dev.beach.compute;

import dev.beach.ActorReply;
import dev.beach.Beach;
import dev.beach.BeachNode;
import dev.beach.compute.impl.JobsImpl;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.List;

/**
 * Jobs over a category's actors (achilles' map/imap/imap_unordered, splice.io's sessions, pyDist's executor,
 * CluPy's futures). A job cuts its inputs into chunks and sends each as one {@code _batch} request to a worker,
 * one of the category's actors; a worker holds at most {@link JobOptions#getInFlightPerWorker()} chunks and gets
 * the next one when it answers, so faster workers get more. A chunk lost to a dead worker or node, or timed
 * out, goes to another worker; each input yields exactly one result.
 *
 * <pre>{@code
 * Jobs jobs = Jobs.create(node);
 * jobs.map("project1", "math", "square", List.of(1, 2, 3), new JobOptions())
 *   .onSuccess(r -> System.out.println(r.values() + ", failed: " + r.errors()));
 * }</pre>
 *
 * Every Jobs of a node shares the node's job registry, so {@link #job(String)} (and the gateway) find any of
 * them by id.
 */
public interface Jobs {

  /** Jobs run through {@code beach} (a node's client) on {@code vertx} (that node's Vert.x). */
  static Jobs create(Beach beach, Vertx vertx) {
    return JobsImpl.create(beach, vertx);
  }

  static Jobs create(BeachNode node) {
    return JobsImpl.create(node.beach(), node.vertx());
  }

  /** Gathers one result per input, in input order, with default options. */
  default JobFuture<JobResult> map(String realm, String category, String op, Iterable<?> inputs) {
    return map(realm, category, op, JobInput.of(inputs), new JobOptions());
  }

  default JobFuture<JobResult> map(String realm, String category, String op, Iterable<?> inputs, JobOptions options) {
    return map(realm, category, op, JobInput.of(inputs), options);
  }

  /** Gathers one result per input, in input order: values plus the per-item failures. */
  JobFuture<JobResult> map(String realm, String category, String op, JobInput input, JobOptions options);

  /** Results in input order as a back-pressured stream. */
  JobStream stream(String realm, String category, String op, JobInput input, JobOptions options);

  /** Results in completion order as a back-pressured stream: fastest first, no waiting for a slow chunk. */
  JobStream streamUnordered(String realm, String category, String op, JobInput input, JobOptions options);

  /**
   * Runs in the background and keeps the results on this node (a spool file), in input order or completion
   * order per {@link JobOptions#isOrdered()}, for {@link Job#pipeResultsTo} (and {@code GET /v1/jobs/{id}/results})
   * to read any number of times, while it runs or after, until it is removed.
   */
  Job start(String realm, String category, String op, JobInput input, JobOptions options);

  /** Sends {@code body} to every actor of the category: one outcome per worker (splice.io's apply). */
  Future<List<ActorReply>> apply(String realm, String category, String op, Object body);

  /** One request to one actor of the category, as a job: an id, retries, cancel (pyDist's submit). */
  default <T> JobFuture<T> submit(String realm, String category, String op, Object body) {
    return submit(realm, category, op, body, new JobOptions());
  }

  /** Like {@link #submit(String, String, String, Object)}, timed and retried per {@code options}' chunk settings. */
  <T> JobFuture<T> submit(String realm, String category, String op, Object body, JobOptions options);

  /**
   * Completes (never fails) when every future completed or {@code timeoutMs} passed, whichever is first,
   * reporting which succeeded, failed, or timed out (CluPy's wait_all, without the silent timeouts).
   */
  Future<AwaitResult> awaitAll(List<? extends Future<?>> futures, long timeoutMs);

  /** A job known to this node, running or ended recently; null when there is none. */
  Job job(String id);

  /** Every job this node knows, newest first. */
  List<Job> jobs();

  /** Forgets an ended job and deletes its kept results; a running one is cancelled first. */
  Future<Void> remove(String id);

  /** A scope whose jobs are cancelled when it closes: {@code try (JobSession s = jobs.session()) {...}}. */
  JobSession session();
}
