package dev.beach.compute.impl;

import dev.beach.ActorReply;
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
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.List;

/**
 * A scope of jobs: remembers what it started and cancels what is still running when closed. Once closed,
 * new jobs fail at once with 409 rather than escaping the scope.
 */
final class SessionImpl implements JobSession {

  private final JobsImpl jobs;
  private final List<Job> started = new ArrayList<>();
  private volatile boolean closed;

  SessionImpl(JobsImpl jobs) {
    this.jobs = jobs;
  }

  /** A closed session refuses new jobs before they start: cancelling them after start could lose to a fast job. */
  private BeachException refusal() {
    return closed ? new BeachException(ErrorCode.CONFLICT, "the job session is closed") : null;
  }

  private synchronized <J extends Job> J track(J job) {
    if (closed) {
      job.cancel();
    } else {
      started.removeIf(j -> j.state().ended());
      started.add(job);
    }
    return job;
  }

  @Override
  public JobFuture<JobResult> map(String realm, String category, String op, JobInput input, JobOptions options) {
    return track(jobs.map(realm, category, op, input, options, refusal()));
  }

  @Override
  public JobStream stream(String realm, String category, String op, JobInput input, JobOptions options) {
    return track(jobs.stream(realm, category, op, input, options, true, refusal()));
  }

  @Override
  public JobStream streamUnordered(String realm, String category, String op, JobInput input, JobOptions options) {
    return track(jobs.stream(realm, category, op, input, options, false, refusal()));
  }

  @Override
  public Job start(String realm, String category, String op, JobInput input, JobOptions options) {
    return track(jobs.start(realm, category, op, input, options, refusal()));
  }

  @Override
  public Future<List<ActorReply>> apply(String realm, String category, String op, Object body) {
    if (closed) {
      return BeachException.fail(ErrorCode.CONFLICT, "the job session is closed");
    }
    return jobs.apply(realm, category, op, body);
  }

  @Override
  public <T> JobFuture<T> submit(String realm, String category, String op, Object body, JobOptions options) {
    return track(jobs.<T>submit(realm, category, op, body, options, refusal()));
  }

  @Override
  public Future<AwaitResult> awaitAll(List<? extends Future<?>> futures, long timeoutMs) {
    return jobs.awaitAll(futures, timeoutMs);
  }

  @Override
  public Job job(String id) {
    return jobs.job(id);
  }

  @Override
  public List<Job> jobs() {
    return jobs.jobs();
  }

  @Override
  public Future<Void> remove(String id) {
    return jobs.remove(id);
  }

  @Override
  public JobSession session() {
    return new SessionImpl(jobs);
  }

  @Override
  public int cancelAll() {
    List<Job> now;
    synchronized (this) {
      now = new ArrayList<>(started);
      started.clear();
    }
    int n = 0;
    for (Job j : now) {
      if (j.cancel()) {
        n++;
      }
    }
    return n;
  }

  @Override
  public void close() {
    closed = true;
    cancelAll();
  }
}
