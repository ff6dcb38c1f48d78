package dev.beach;

import io.vertx.core.json.JsonObject;

import java.util.Locale;

/** How an {@link ActorHandle} picks actors and how long and how often it tries. Round-trips JSON. */
public class HandleOptions {

  /** Which actor of the category gets a request. */
  public enum Mode {
    /** Any actor, uniformly. */
    RANDOM,
    /** An actor on the calling node when there is one, else any. */
    LOCAL,
    /** The actor chosen by rendezvous hashing of the request key over actor ids. */
    AFFINITY
  }

  public static final long DEFAULT_TIMEOUT_MS = NodeOptions.DEFAULT_REQUEST_TIMEOUT_MS;
  /** Retries on TIMEOUT, NO_ACTORS and node loss; application errors return at once. */
  public static final int DEFAULT_RETRIES = 2;
  public static final long DEFAULT_RETRY_DELAY_MS = 100;

  private Mode mode = Mode.RANDOM;
  private String key;
  private long timeoutMs = DEFAULT_TIMEOUT_MS;
  private int retries = DEFAULT_RETRIES;
  private long retryDelayMs = DEFAULT_RETRY_DELAY_MS;
  private String ident;

  public HandleOptions() {
  }

  public HandleOptions(HandleOptions other) {
    this.mode = other.mode;
    this.key = other.key;
    this.timeoutMs = other.timeoutMs;
    this.retries = other.retries;
    this.retryDelayMs = other.retryDelayMs;
    this.ident = other.ident;
  }

  public HandleOptions(JsonObject json) {
    String m = json.getString("mode");
    if (m != null) {
      try {
        mode = Mode.valueOf(m.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new BeachException(ErrorCode.BAD_REQUEST, "unknown handle mode '" + m + "': must be random, local or affinity");
      }
    }
    key = json.getString("key");
    timeoutMs = json.getLong("timeoutMs", DEFAULT_TIMEOUT_MS);
    retries = json.getInteger("retries", DEFAULT_RETRIES);
    retryDelayMs = json.getLong("retryDelayMs", DEFAULT_RETRY_DELAY_MS);
    ident = json.getString("ident");
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
      .put("mode", mode.name().toLowerCase(Locale.ROOT))
      .put("timeoutMs", timeoutMs)
      .put("retries", retries)
      .put("retryDelayMs", retryDelayMs);
    if (key != null) {
      json.put("key", key);
    }
    if (ident != null) {
      json.put("ident", ident);
    }
    return json;
  }

  public Mode getMode() {
    return mode;
  }

  public HandleOptions setMode(Mode mode) {
    this.mode = mode;
    return this;
  }

  public String getKey() {
    return key;
  }

  public HandleOptions setKey(String key) {
    this.key = key;
    return this;
  }

  public long getTimeoutMs() {
    return timeoutMs;
  }

  public HandleOptions setTimeoutMs(long timeoutMs) {
    if (timeoutMs < 1) {
      throw new BeachException(ErrorCode.BAD_REQUEST, "timeout must be at least 1 ms");
    }
    this.timeoutMs = timeoutMs;
    return this;
  }

  public int getRetries() {
    return retries;
  }

  public HandleOptions setRetries(int retries) {
    if (retries < 0) {
      throw new BeachException(ErrorCode.BAD_REQUEST, "retries must be 0 or more");
    }
    this.retries = retries;
    return this;
  }

  public long getRetryDelayMs() {
    return retryDelayMs;
  }

  public HandleOptions setRetryDelayMs(long retryDelayMs) {
    this.retryDelayMs = retryDelayMs;
    return this;
  }

  /** The caller identity sent with every request ({@code ident} header). */
  public String getIdent() {
    return ident;
  }

  public HandleOptions setIdent(String ident) {
    this.ident = ident;
    return this;
  }

  @Override
  public String toString() {
    return toJson().encode();
  }
}
