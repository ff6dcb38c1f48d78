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
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The jobs of one node, by id, so the gateway (or any code on the node) finds them. Running jobs stay until they
 * end; ended ones are kept as a {@link Snapshot} for {@link #RETENTION_MS} (at most {@link #MAX_ENDED} of them),
 * then forgotten and their kept results deleted.
 */
final class JobRegistry {

  static final long RETENTION_MS = 15 * 60_000;
  static final int MAX_ENDED = 1000;

  /** One registry per node client; weak, so a closed node's registry goes with it. */
  private static final Map<Beach, JobRegistry> BY_NODE = Collections.synchronizedMap(new WeakHashMap<>());

  private final Vertx vertx;
  private final ConcurrentHashMap<String, Job> jobs = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Long> endedAt = new ConcurrentHashMap<>();

  private JobRegistry(Vertx vertx) {
    this.vertx = vertx;
  }

  static JobRegistry of(Beach beach, Vertx vertx) {
    return BY_NODE.computeIfAbsent(beach, b -> new JobRegistry(vertx));
  }

  void add(JobBase job) {
    jobs.put(job.id(), job);
  }

  /** Replaces an ended job by its snapshot and schedules its removal. */
  void ended(JobBase job) {
    String id = job.id();
    if (jobs.replace(id, new Snapshot(job)) == null) {
      return; // removed while it was ending
    }
    endedAt.put(id, System.currentTimeMillis());
    vertx.setTimer(RETENTION_MS, t -> remove(id));
    if (endedAt.size() > MAX_ENDED) {
      List<Map.Entry<String, Long>> oldest = new ArrayList<>(endedAt.entrySet());
      oldest.sort(Map.Entry.comparingByValue());
      for (int i = 0; i < oldest.size() - MAX_ENDED; i++) {
        remove(oldest.get(i).getKey());
      }
    }
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
    endedAt.remove(id);
    Future<Spool> spool = job instanceof Snapshot ? ((Snapshot) job).spool() : ((JobBase) job).spool();
    return spool == null ? Future.succeededFuture() : spool.transform(ar -> ar.succeeded() ? ar.result().delete()
      : Future.succeededFuture());
  }
}
