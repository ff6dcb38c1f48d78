package dev.beach.compute;

import dev.beach.BeachException;
import dev.beach.ErrorCode;
import io.vertx.core.json.JsonObject;

/**
 * How a job cuts its inputs and how hard it tries. Round-trips JSON (the option fields of
 * {@code POST /v1/realms/{realm}/jobs}); setters validate and fail with {@link ErrorCode#BAD_REQUEST} and a
 * message that names the allowed range.
 */
public final class JobOptions {

  /** Items per {@code _batch} request: big enough to amortise a round trip, small enough to spread. */
  public static final int DEFAULT_CHUNK_SIZE = 100;
  /** Chunks a worker holds at once: two keeps it busy while the next one travels. */
  public static final int DEFAULT_IN_FLIGHT_PER_WORKER = 2;
  /** Further tries of a chunk that timed out or failed as a whole; a worker lost does not count. */
  public static final int DEFAULT_RETRIES = 3;
  /** How long one chunk may take, waiting in the worker's mailbox included. */
  public static final long DEFAULT_CHUNK_TIMEOUT_MS = 60_000;
  /** 0: no limit; every chunk still ends by its own timeout and retries, so jobs always end. */
  public static final long DEFAULT_JOB_TIMEOUT_MS = 0;
  public static final boolean DEFAULT_ORDERED = true;
  /** Results held for a slow reader (or waiting for an earlier one, when ordered) before dispatch pauses. */
  public static final int DEFAULT_MAX_BUFFERED_RESULTS = 10_000;
  /** No bound on a kept job's results file. */
  public static final long DEFAULT_MAX_RESULT_BYTES = 0;

  public static final int MAX_CHUNK_SIZE = 100_000;
  public static final int MAX_IN_FLIGHT_PER_WORKER = 1000;
  public static final int MAX_RETRIES = 100;

  private int chunkSize = DEFAULT_CHUNK_SIZE;
  private int inFlightPerWorker = DEFAULT_IN_FLIGHT_PER_WORKER;
  private int retries = DEFAULT_RETRIES;
  private long chunkTimeoutMs = DEFAULT_CHUNK_TIMEOUT_MS;
  private long jobTimeoutMs = DEFAULT_JOB_TIMEOUT_MS;
  private boolean ordered = DEFAULT_ORDERED;
  private int maxBufferedResults = DEFAULT_MAX_BUFFERED_RESULTS;
  private long maxResultBytes = DEFAULT_MAX_RESULT_BYTES;

  public JobOptions() {
  }

  public JobOptions(JobOptions other) {
    this.chunkSize = other.chunkSize;
    this.inFlightPerWorker = other.inFlightPerWorker;
    this.retries = other.retries;
    this.chunkTimeoutMs = other.chunkTimeoutMs;
    this.jobTimeoutMs = other.jobTimeoutMs;
    this.ordered = other.ordered;
    this.maxBufferedResults = other.maxBufferedResults;
    this.maxResultBytes = other.maxResultBytes;
  }

  /** Reads the option fields of {@code json}; other fields are ignored, so a whole job request can be passed. */
  public JobOptions(JsonObject json) {
    setChunkSize((int) integer(json, "chunkSize", DEFAULT_CHUNK_SIZE, 1, MAX_CHUNK_SIZE));
    setInFlightPerWorker((int) integer(json, "inFlightPerWorker", DEFAULT_IN_FLIGHT_PER_WORKER, 1, MAX_IN_FLIGHT_PER_WORKER));
    setRetries((int) integer(json, "retries", DEFAULT_RETRIES, 0, MAX_RETRIES));
    setChunkTimeoutMs(integer(json, "chunkTimeoutMs", DEFAULT_CHUNK_TIMEOUT_MS, 1, Long.MAX_VALUE));
    setJobTimeoutMs(integer(json, "jobTimeoutMs", DEFAULT_JOB_TIMEOUT_MS, 0, Long.MAX_VALUE));
    setMaxBufferedResults((int) integer(json, "maxBufferedResults", DEFAULT_MAX_BUFFERED_RESULTS, 1, Integer.MAX_VALUE));
    setMaxResultBytes(integer(json, "maxResultBytes", DEFAULT_MAX_RESULT_BYTES, 0, Long.MAX_VALUE));
    Object o = json.getValue("ordered");
    if (o != null && !(o instanceof Boolean)) {
      throw bad("ordered must be true or false, not " + o);
    }
    setOrdered(o == null ? DEFAULT_ORDERED : (Boolean) o);
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("chunkSize", chunkSize)
      .put("inFlightPerWorker", inFlightPerWorker)
      .put("retries", retries)
      .put("chunkTimeoutMs", chunkTimeoutMs)
      .put("jobTimeoutMs", jobTimeoutMs)
      .put("ordered", ordered)
      .put("maxBufferedResults", maxBufferedResults)
      .put("maxResultBytes", maxResultBytes);
  }

  public int getChunkSize() {
    return chunkSize;
  }

  public JobOptions setChunkSize(int chunkSize) {
    check("chunkSize", chunkSize, 1, MAX_CHUNK_SIZE);
    this.chunkSize = chunkSize;
    return this;
  }

  public int getInFlightPerWorker() {
    return inFlightPerWorker;
  }

  /** K: at most this many chunks wait at or run on one worker; a worker that answers gets the next one. */
  public JobOptions setInFlightPerWorker(int inFlightPerWorker) {
    check("inFlightPerWorker", inFlightPerWorker, 1, MAX_IN_FLIGHT_PER_WORKER);
    this.inFlightPerWorker = inFlightPerWorker;
    return this;
  }

  public int getRetries() {
    return retries;
  }

  public JobOptions setRetries(int retries) {
    check("retries", retries, 0, MAX_RETRIES);
    this.retries = retries;
    return this;
  }

  public long getChunkTimeoutMs() {
    return chunkTimeoutMs;
  }

  public JobOptions setChunkTimeoutMs(long chunkTimeoutMs) {
    check("chunkTimeoutMs", chunkTimeoutMs, 1, Long.MAX_VALUE);
    this.chunkTimeoutMs = chunkTimeoutMs;
    return this;
  }

  public long getJobTimeoutMs() {
    return jobTimeoutMs;
  }

  /** 0 for no limit; past it the job fails with 504 and the error lists what completed. */
  public JobOptions setJobTimeoutMs(long jobTimeoutMs) {
    check("jobTimeoutMs", jobTimeoutMs, 0, Long.MAX_VALUE);
    this.jobTimeoutMs = jobTimeoutMs;
    return this;
  }

  public boolean isOrdered() {
    return ordered;
  }

  /** For jobs whose results are kept ({@link Jobs#start}): input order (true) or completion order. */
  public JobOptions setOrdered(boolean ordered) {
    this.ordered = ordered;
    return this;
  }

  public int getMaxBufferedResults() {
    return maxBufferedResults;
  }

  public JobOptions setMaxBufferedResults(int maxBufferedResults) {
    check("maxBufferedResults", maxBufferedResults, 1, Integer.MAX_VALUE);
    this.maxBufferedResults = maxBufferedResults;
    return this;
  }

  /** A kept job ({@code Jobs.start}) whose results file would grow past this fails with 413; 0 = no bound. */
  public long getMaxResultBytes() {
    return maxResultBytes;
  }

  public JobOptions setMaxResultBytes(long maxResultBytes) {
    check("maxResultBytes", maxResultBytes, 0, Long.MAX_VALUE);
    this.maxResultBytes = maxResultBytes;
    return this;
  }

  private static long integer(JsonObject json, String key, long def, long min, long max) {
    Object v = json.getValue(key);
    if (v == null) {
      return def;
    }
    if (!(v instanceof Integer || v instanceof Long)) {
      throw bad(key + " must be an integer between " + min + " and " + max + ", not " + v);
    }
    long n = ((Number) v).longValue();
    check(key, n, min, max);
    return n;
  }

  private static void check(String key, long value, long min, long max) {
    if (value < min || value > max) {
      throw bad(key + " must be between " + min + " and " + max + ", not " + value);
    }
  }

  private static BeachException bad(String message) {
    return new BeachException(ErrorCode.BAD_REQUEST, message);
  }

  @Override
  public String toString() {
    return toJson().encode();
  }
}
