package dev.beach.compute.impl;

import dev.beach.ActorReply;
import dev.beach.Address;
import dev.beach.Beach;
import dev.beach.BeachException;
import dev.beach.ErrorCode;
import dev.beach.compute.AwaitResult;
import dev.beach.compute.Job;
import dev.beach.compute.JobFuture;
import dev.beach.compute.JobInput;
import dev.beach.compute.JobOptions;
import dev.beach.compute.JobResult;
import dev.beach.compute.JobSession;
import dev.beach.compute.JobStream;
import dev.beach.compute.Jobs;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Creates jobs, each on a fresh event-loop context of its own (so a big job neither blocks nor is blocked by its
 * caller), and registers them with the node's {@link JobRegistry}. Bad arguments never throw: the job's future
 * or stream fails with 400, like any other failure.
 */
public final class JobsImpl implements Jobs {

  private static final char[] ID_CHARS = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();

  private final Beach beach;
  private final Vertx vertx;
  private final JobRegistry registry;
  /** How long a job may not move, with work outstanding, before it logs what it waits on (tests shorten it). */
  private volatile long stallWarnMs = StallWatch.STALL_WARN_MS;

  private JobsImpl(Beach beach, Vertx vertx) {
    this.beach = Objects.requireNonNull(beach, "beach");
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.registry = JobRegistry.of(beach, vertx);
  }

  public static Jobs create(Beach beach, Vertx vertx) {
    return new JobsImpl(beach, vertx);
  }

  Beach beach() {
    return beach;
  }

  Vertx vertx() {
    return vertx;
  }

  String nodeId() {
    return beach.nodeId();
  }

  JobRegistry registry() {
    return registry;
  }

  long stallWarnMs() {
    return stallWarnMs;
  }

  /** For tests: jobs started from now on warn after {@code ms} without progress. */
  void stallWarnMs(long ms) {
    this.stallWarnMs = ms;
  }

  /** {@code job-} and 12 base-36 characters: URL-safe, unique enough for a node's lifetime. */
  String newId() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    char[] id = new char[12];
    for (int i = 0; i < id.length; i++) {
      id[i] = ID_CHARS[r.nextInt(ID_CHARS.length)];
    }
    return "job-" + new String(id);
  }

  private ContextInternal newContext() {
    return ((VertxInternal) vertx).createEventLoopContext();
  }

  /** The names' rules and the arguments' presence, as a 400 instead of an exception. */
  static BeachException check(String realm, String category, String op, Object input, JobOptions options) {
    try {
      Address.validateRealm(realm);
      Address.validateCategory(category);
      Address.validateOp(op);
    } catch (BeachException e) {
      return e;
    }
    if (input == null) {
      return new BeachException(ErrorCode.BAD_REQUEST, "the job has no inputs: give a list, an iterable, a stream or a file");
    }
    if (options == null) {
      return new BeachException(ErrorCode.BAD_REQUEST, "the job has no options: pass new JobOptions() for the defaults");
    }
    return null;
  }

  @Override
  public JobFuture<JobResult> map(String realm, String category, String op, JobInput input, JobOptions options) {
    return map(realm, category, op, input, options, null);
  }

  /** With {@code refusal} set (a closed session), the job ends at once with it and never dispatches. */
  JobFuture<JobResult> map(String realm, String category, String op, JobInput input, JobOptions options,
                           BeachException refusal) {
    BeachException bad = refusal != null ? refusal : check(realm, category, op, input, options);
    MapJob job = new MapJob(this, newContext(), realm, category, op, orEmpty(input), orDefault(options));
    registry.add(job);
    job.begin(bad);
    return job;
  }

  @Override
  public JobStream stream(String realm, String category, String op, JobInput input, JobOptions options) {
    return stream(realm, category, op, input, options, true, null);
  }

  @Override
  public JobStream streamUnordered(String realm, String category, String op, JobInput input, JobOptions options) {
    return stream(realm, category, op, input, options, false, null);
  }

  JobStream stream(String realm, String category, String op, JobInput input, JobOptions options, boolean ordered,
                   BeachException refusal) {
    BeachException bad = refusal != null ? refusal : check(realm, category, op, input, options);
    StreamJob job = new StreamJob(this, newContext(), realm, category, op, orEmpty(input), orDefault(options), ordered);
    registry.add(job);
    job.begin(bad);
    return job;
  }

  @Override
  public Job start(String realm, String category, String op, JobInput input, JobOptions options) {
    return start(realm, category, op, input, options, null);
  }

  Job start(String realm, String category, String op, JobInput input, JobOptions options, BeachException refusal) {
    BeachException bad = refusal != null ? refusal : check(realm, category, op, input, options);
    KeptJob job = new KeptJob(this, newContext(), realm, category, op, orEmpty(input), orDefault(options));
    registry.add(job);
    job.open(bad);
    return job;
  }

  @Override
  public Future<List<ActorReply>> apply(String realm, String category, String op, Object body) {
    try {
      return beach.handle(realm, category).requestAll(op, body);
    } catch (BeachException e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public <T> JobFuture<T> submit(String realm, String category, String op, Object body, JobOptions options) {
    return submit(realm, category, op, body, options, null);
  }

  <T> JobFuture<T> submit(String realm, String category, String op, Object body, JobOptions options,
                          BeachException refusal) {
    BeachException bad = refusal != null ? refusal : check(realm, category, op, JobInput.of(List.of()), options);
    SubmitJob<T> job = new SubmitJob<>(this, newContext(), realm, category, op, body, orDefault(options));
    registry.add(job);
    job.begin(bad);
    return job;
  }

  @Override
  public Future<AwaitResult> awaitAll(List<? extends Future<?>> futures, long timeoutMs) {
    List<Future<?>> all = new ArrayList<>(futures);
    Promise<AwaitResult> result = Promise.promise();
    AtomicBoolean reported = new AtomicBoolean();
    Runnable report = () -> {
      if (!reported.compareAndSet(false, true)) {
        return;
      }
      List<Integer> ok = new ArrayList<>();
      List<Integer> failed = new ArrayList<>();
      List<Integer> pending = new ArrayList<>();
      for (int i = 0; i < all.size(); i++) {
        Future<?> f = all.get(i);
        (!f.isComplete() ? pending : f.succeeded() ? ok : failed).add(i);
      }
      result.complete(new AwaitResult(ok, failed, pending));
    };
    if (all.isEmpty()) {
      report.run();
      return result.future();
    }
    long timer = vertx.setTimer(Math.max(1, timeoutMs), t -> report.run());
    AtomicInteger left = new AtomicInteger(all.size());
    for (Future<?> f : all) {
      f.onComplete(ar -> {
        if (left.decrementAndGet() == 0) {
          vertx.cancelTimer(timer);
          report.run();
        }
      });
    }
    return result.future();
  }

  @Override
  public Job job(String id) {
    return registry.get(id);
  }

  @Override
  public List<Job> jobs() {
    return registry.list();
  }

  @Override
  public Future<Void> remove(String id) {
    return registry.remove(id);
  }

  @Override
  public JobSession session() {
    return new SessionImpl(this);
  }

  private static JobInput orEmpty(JobInput input) {
    return input == null ? JobInput.of(List.of()) : input;
  }

  private static JobOptions orDefault(JobOptions options) {
    return options == null ? new JobOptions() : options;
  }
}
