package dev.beach.compute;

import dev.beach.BeachException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.WriteStream;

/** A job as its owner and the node's registry see it: what it runs, where it is, and how to stop it. */
public interface Job {

  /** Unique id, URL-safe; {@code GET /v1/jobs/{id}} on the gateway of the node that runs it. */
  String id();

  /** The node the job runs on. */
  String node();

  String realm();

  String category();

  String op();

  JobOptions options();

  JobState state();

  JobProgress progress();

  /** Why the job did not succeed ({@code code} 409 cancelled, 504 timed out, 503 no workers...), else null. */
  BeachException error();

  /**
   * Stops dispatching, frees the workers (each finishes at most the chunks it already holds) and fails the
   * job's future or stream with 409. Returns false when the job had already ended.
   */
  boolean cancel();

  /** Completes (never fails) with the final state once the job has ended, whatever the outcome. */
  Future<JobState> ended();

  /** Completes with the number of inputs once the input is exhausted; fails if reading the input failed. */
  Future<Long> inputEnd();

  /**
   * Writes this job's results as NDJSON lines {@code {i, ok, value|error}} to {@code out}, following the job
   * until it ends; callable any number of times. Only jobs run with {@link Jobs#start} keep their results;
   * others fail with 409, since their results went to their caller.
   */
  Future<Void> pipeResultsTo(WriteStream<Buffer> out);

  /** {@code {id, node, realm, category, op, state, createdAt, endedAt?, options, progress, error?, kept}}. */
  JsonObject toJson();
}
