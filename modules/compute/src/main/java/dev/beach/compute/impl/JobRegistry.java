package dev.beach.compute.impl;

import dev.beach.Beach;
import dev.beach.BeachException;
import dev.beach.ErrorCode;
import dev.beach.compute.Job;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The jobs of one node, by id, so the gateway (or any code on the node) finds them. Running jobs stay until they
 * end; ended ones are kept as a {@link Snapshot} for {@link #RETENTION_MS}, at most {@link #MAX_ENDED} of them and
 * at most {@link #MAX_ENDED_BYTES} of kept results between them (the oldest go first), then forgotten and their
 * kept results deleted. An ended job holds no file descriptor: its spool closed its writer when the last result
 * was written.
 */
final class JobRegistry {

  static final long RETENTION_MS = 15 * 60_000;
  static final int MAX_ENDED = 1000;
  /** Kept results of ended jobs on one node: 1 GiB at most, whatever the count. */
  static final long MAX_ENDED_BYTES = 1L << 30;

  /** One registry per node client; weak, so a closed node's registry goes with it. */
  private static final Map<Beach, JobRegistry> BY_NODE = Collections.synchronizedMap(new WeakHashMap<>());

  private final Vertx vertx;
  private final ConcurrentHashMap<String, Job> jobs = new ConcurrentHashMap<>();
  /** Ended jobs, oldest first, with the timer that forgets each. */
  private final Map<String, Long> ended = new LinkedHashMap<>();
  private int maxEnded = MAX_ENDED;
  private long maxEndedBytes = MAX_ENDED_BYTES;

  private JobRegistry(Vertx vertx) {
    this.vertx = vertx;
  }

  static JobRegistry of(Beach beach, Vertx vertx) {
    return BY_NODE.computeIfAbsent(beach, b -> new JobRegistry(vertx));
  }

  /** Tighter bounds for tests. */
  synchronized void limitRetention(int maxEnded, long maxEndedBytes) {
    this.maxEnded = maxEnded;
    this.maxEndedBytes = maxEndedBytes;
  }

  void add(JobBase job) {
    jobs.put(job.id(), job);
  }

  /** Replaces an ended job by its snapshot, schedules its removal, and removes the oldest beyond the bounds. */
  void ended(JobBase job) {
    String id = job.id();
    if (jobs.replace(id, new Snapshot(job)) == null) {
      return; // removed while it was ending
    }
    List<String> evict = new ArrayList<>();
    synchronized (this) {
      ended.put(id, vertx.setTimer(RETENTION_MS, t -> remove(id)));
      long bytes = 0;
      for (String e : ended.keySet()) {
        bytes += spoolBytes(jobs.get(e));
      }
      for (String oldest : ended.keySet()) {
        if (ended.size() - evict.size() <= maxEnded && bytes <= maxEndedBytes || oldest.equals(id)) {
          break;
        }
        evict.add(oldest);
        bytes -= spoolBytes(jobs.get(oldest));
      }
    }
    evict.forEach(this::remove);
  }

  /**
   * The size a kept job's results file has, or will have once what is buffered is written (counting only what is
   * written undercounts a job that has just ended, and let retention overshoot its byte bound under load); 0 while
   * it is not known or for jobs that keep none.
   */
  private static long spoolBytes(Job job) {
    Future<Spool> spool = job instanceof Snapshot ? ((Snapshot) job).spool() : job instanceof JobBase ? ((JobBase) job).spool() : null;
    return spool != null && spool.succeeded() ? spool.result().appended() : 0;
  }

  /** Ended jobs kept now (tests). */
  synchronized int endedCount() {
    return ended.size();
  }

  Job get(String id) {
    return id == null ? null : jobs.get(id);
  }

  List<Job> list() {
    List<Job> all = new ArrayList<>(jobs.values());
    all.sort(Comparator.comparingLong(JobRegistry::createdAt).reversed());
    return all;
  }

  private static long createdAt(Job job) {
    return job instanceof JobBase ? ((JobBase) job).createdAt : ((Snapshot) job).createdAt();
  }

  /** Cancels a running job, then forgets it and deletes its kept results. */
  Future<Void> remove(String id) {
    Job job = jobs.get(id);
    if (job == null) {
      return BeachException.fail(ErrorCode.NOT_FOUND, "no job " + id + " on this node");
    }
    if (!job.state().ended()) {
      job.cancel();
      return job.ended().compose(s -> remove(id));
    }
    jobs.remove(id);
    Long timer;
    synchronized (this) {
      timer = ended.remove(id);
    }
    if (timer != null) {
      vertx.cancelTimer(timer);
    }
    Future<Spool> spool = job instanceof Snapshot ? ((Snapshot) job).spool() : ((JobBase) job).spool();
    return spool == null ? Future.succeededFuture() : spool.transform(ar -> ar.succeeded() ? ar.result().delete()
      : Future.succeededFuture());
  }
}
