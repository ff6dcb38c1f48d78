package dev.beach.compute;

import io.vertx.core.json.JsonObject;

/**
 * A snapshot of a job's counters. Published as a {@code job.progress} event on {@code beach._events} at most
 * about twice a second while the job runs, and once more when it ends.
 */
public final class JobProgress {

  /** The event type on {@link dev.beach.Address#EVENTS}. */
  public static final String EVENT_TYPE = "job.progress";

  private final String job;
  private final String node;
  private final JobState state;
  private final long done;
  private final long failed;
  private final long total;
  private final long read;
  private final long inFlight;
  private final long buffered;
  private final long peakHeld;
  private final double rate;
  private final long elapsedMs;

  public JobProgress(String job, String node, JobState state, long done, long failed, long total, long read,
                     long inFlight, long buffered, long peakHeld, double rate, long elapsedMs) {
    this.job = job;
    this.node = node;
    this.state = state;
    this.done = done;
    this.failed = failed;
    this.total = total;
    this.read = read;
    this.inFlight = inFlight;
    this.buffered = buffered;
    this.peakHeld = peakHeld;
    this.rate = rate;
    this.elapsedMs = elapsedMs;
  }

  public static JobProgress fromJson(JsonObject json) {
    return new JobProgress(json.getString("job"), json.getString("node"), JobState.fromJson(json.getString("state", "running")),
      json.getLong("done", 0L), json.getLong("failed", 0L), json.getLong("total", -1L), json.getLong("read", 0L),
      json.getLong("inFlight", 0L), json.getLong("buffered", 0L), json.getLong("peakHeld", 0L),
      json.getDouble("rate", 0.0), json.getLong("elapsedMs", 0L));
  }

  /** {@code {job, node, state, done, failed, total, read, inFlight, buffered, peakHeld, rate, elapsedMs}}. */
  public JsonObject toJson() {
    return new JsonObject().put("job", job).put("node", node).put("state", state.jsonName())
      .put("done", done).put("failed", failed).put("total", total).put("read", read)
      .put("inFlight", inFlight).put("buffered", buffered).put("peakHeld", peakHeld)
      .put("rate", Math.round(rate * 10) / 10.0).put("elapsedMs", elapsedMs);
  }

  /**
   * The {@code job.progress} event: this snapshot plus {@code type}, {@code time} and the job's {@code realm}, so
   * a gateway shows it to that realm's token only.
   */
  public JsonObject toEvent(String realm) {
    return new JsonObject().put("type", EVENT_TYPE).put("time", System.currentTimeMillis()).put("realm", realm)
      .mergeIn(toJson());
  }

  public String job() {
    return job;
  }

  /** The node the job runs on (and whose gateway knows it). */
  public String node() {
    return node;
  }

  public JobState state() {
    return state;
  }

  /** Items that yielded a value. */
  public long done() {
    return done;
  }

  /** Items that yielded a per-item failure. */
  public long failed() {
    return failed;
  }

  /** Items in the job; -1 while a streamed input has not ended. */
  public long total() {
    return total;
  }

  /** Items taken from the input so far. */
  public long read() {
    return read;
  }

  /** Items sent to workers and not answered yet. */
  public long inFlight() {
    return inFlight;
  }

  /** Results computed but not yet taken by the job's reader. */
  public long buffered() {
    return buffered;
  }

  /** The most items the job held at once (read and not yet handed to its reader): its memory bound at work. */
  public long peakHeld() {
    return peakHeld;
  }

  /** Items finished per second, recently (the average over the whole job once it ended). */
  public double rate() {
    return rate;
  }

  public long elapsedMs() {
    return elapsedMs;
  }

  @Override
  public String toString() {
    return toJson().encode();
  }
}
