package dev.beach.compute.impl;

import dev.beach.BeachException;
import dev.beach.ErrorCode;
import dev.beach.compute.Job;
import dev.beach.compute.JobOptions;
import dev.beach.compute.JobProgress;
import dev.beach.compute.JobState;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.WriteStream;

/**
 * An ended job as the registry keeps it: the final figures and, for a kept job, its spool. Holding this
 * instead of the job itself lets a gathered job's results be collected once its caller drops them.
 */
final class Snapshot implements Job {

  private final String id;
  private final String node;
  private final String realm;
  private final String category;
  private final String op;
  private final JobOptions options;
  private final JobProgress progress;
  private final BeachException error;
  private final long createdAt;
  private final long endedAt;
  private final Future<Spool> spool;

  Snapshot(JobBase job) {
    this.id = job.id;
    this.node = job.node();
    this.realm = job.realm;
    this.category = job.category;
    this.op = job.op;
    this.options = job.options;
    this.progress = job.progress();
    this.error = job.error();
    this.createdAt = job.createdAt;
    this.endedAt = job.endedAt;
    this.spool = job.spool();
  }

  /** Streams a job's kept results, or says why there are none. */
  static Future<Void> pipe(Job job, Future<Spool> spool, WriteStream<Buffer> out) {
    if (spool == null) {
      return BeachException.fail(ErrorCode.CONFLICT, "job " + job.id() + " does not keep its results: they went to the"
        + " caller that started it (only jobs started with Jobs.start or POST /v1/realms/{realm}/jobs keep them)");
    }
    return spool.transform(ar -> ar.succeeded() ? ar.result().pipeTo(out)
      : BeachException.fail(ErrorCode.NOT_FOUND, "job " + job.id() + " has no results: it ended before it could keep any"
        + (job.error() == null ? "" : " (" + job.error().getMessage() + ")")));
  }

  static JsonObject describe(Job job, JobProgress progress, BeachException error, long endedAt, boolean kept) {
    long createdAt = job instanceof JobBase ? ((JobBase) job).createdAt : ((Snapshot) job).createdAt;
    JsonObject json = new JsonObject().put("id", job.id()).put("node", job.node()).put("realm", job.realm())
      .put("category", job.category()).put("op", job.op()).put("state", progress.state().jsonName())
      .put("createdAt", createdAt);
    if (endedAt > 0) {
      json.put("endedAt", endedAt);
    }
    json.put("kept", kept).put("options", job.options().toJson()).put("progress", progress.toJson());
    Future<Spool> spool = job instanceof Snapshot ? ((Snapshot) job).spool : job instanceof JobBase ? ((JobBase) job).spool() : null;
    if (spool != null && spool.succeeded()) {
      json.put("resultBytes", spool.result().appended());
    }
    if (error != null) {
      json.put("error", error.toJson());
    }
    return json;
  }

  long createdAt() {
    return createdAt;
  }

  /** The kept results' spool, or null when the job kept none. */
  Future<Spool> spool() {
    return spool;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String node() {
    return node;
  }

  @Override
  public String realm() {
    return realm;
  }

  @Override
  public String category() {
    return category;
  }

  @Override
  public String op() {
    return op;
  }

  @Override
  public JobOptions options() {
    return new JobOptions(options);
  }

  @Override
  public JobState state() {
    return progress.state();
  }

  @Override
  public JobProgress progress() {
    return progress;
  }

  @Override
  public BeachException error() {
    return error;
  }

  @Override
  public boolean cancel() {
    return false;
  }

  @Override
  public Future<JobState> ended() {
    return Future.succeededFuture(progress.state());
  }

  @Override
  public Future<Long> inputEnd() {
    return error != null && progress.total() < 0 ? Future.failedFuture(error) : Future.succeededFuture(progress.read());
  }

  @Override
  public Future<Void> pipeResultsTo(WriteStream<Buffer> out) {
    return pipe(this, spool, out);
  }

  @Override
  public JsonObject toJson() {
    return describe(this, progress, error, endedAt, spool != null);
  }

  @Override
  public String toString() {
    return toJson().encode();
  }
}
