package dev.beach;

import io.vertx.core.json.JsonObject;

/**
 * One actor's counters: requests processed, failed and refused, how many wait, the recent rate and the
 * mean handling time. A value; read it again for fresh figures.
 */
public final class ActorStats {

  private final long processed;
  private final long errors;
  private final long rejected;
  private final int pending;
  private final double rate;
  private final double meanLatencyMs;

  public ActorStats(long processed, long errors, long rejected, int pending, double rate, double meanLatencyMs) {
    this.processed = processed;
    this.errors = errors;
    this.rejected = rejected;
    this.pending = pending;
    this.rate = rate;
    this.meanLatencyMs = meanLatencyMs;
  }

  public static ActorStats fromJson(JsonObject json) {
    return new ActorStats(json.getLong("processed", 0L), json.getLong("errors", 0L), json.getLong("rejected", 0L),
      json.getInteger("pending", 0), json.getDouble("rate", 0d), json.getDouble("meanLatencyMs", 0d));
  }

  /** Requests answered (successfully or not). */
  public long processed() {
    return processed;
  }

  /** Requests whose handler failed or threw. */
  public long errors() {
    return errors;
  }

  /** Requests refused with 429 because the mailbox was full. */
  public long rejected() {
    return rejected;
  }

  /** Requests queued or in flight now. */
  public int pending() {
    return pending;
  }

  /** Requests processed per second over the last few seconds. */
  public double rate() {
    return rate;
  }

  /** Mean time from dequeue to reply, in milliseconds, over the actor's life. */
  public double meanLatencyMs() {
    return meanLatencyMs;
  }

  public JsonObject toJson() {
    return new JsonObject().put("processed", processed).put("errors", errors).put("rejected", rejected)
      .put("pending", pending).put("rate", rate).put("meanLatencyMs", meanLatencyMs);
  }

  @Override
  public String toString() {
    return toJson().encode();
  }
}
