package dev.beach.gateway;

import dev.beach.BeachException;
import dev.beach.ErrorCode;
import io.vertx.core.json.JsonObject;

/**
 * What one caller may hold through the gateway: the {@code gateway.quotas} section. They bound what a realm
 * token (or a script with the admin token gone wrong) can pile onto a node; each refusal is a 4xx naming the key
 * to raise. Round-trips JSON:
 * <pre>
 * quotas:
 *   instancesPerRequest: 10000    # actors one POST .../actors may start (400 beyond)
 *   actorsPerRealm: 100000        # actors a realm may have in the cluster (409 beyond)
 *   jobsPerRealm: 16              # jobs of a realm running at once on this node (429 beyond)
 *   spoolBytesPerRealm: 268435456 # bytes of job results a realm keeps on this node (429 beyond; jobs fail with 413)
 *   streamsPerToken: 16           # event streams one token may hold open on this gateway (429 beyond)
 * </pre>
 */
public class QuotaOptions {

  /** The dashboard is shown to page through 10,000 actors of one deploy; more than that is a mistake or an attack. */
  public static final int DEFAULT_INSTANCES_PER_REQUEST = 10_000;
  /** DESIGN.md's scale: 100k actors (one clustered registration per category, not per actor). */
  public static final int DEFAULT_ACTORS_PER_REALM = 100_000;
  public static final int DEFAULT_JOBS_PER_REALM = 16;
  public static final long DEFAULT_SPOOL_BYTES_PER_REALM = 256L * 1024 * 1024;
  public static final int DEFAULT_STREAMS_PER_TOKEN = 16;

  private int instancesPerRequest = DEFAULT_INSTANCES_PER_REQUEST;
  private int actorsPerRealm = DEFAULT_ACTORS_PER_REALM;
  private int jobsPerRealm = DEFAULT_JOBS_PER_REALM;
  private long spoolBytesPerRealm = DEFAULT_SPOOL_BYTES_PER_REALM;
  private int streamsPerToken = DEFAULT_STREAMS_PER_TOKEN;

  public QuotaOptions() {
  }

  public QuotaOptions(QuotaOptions other) {
    this(other.toJson());
  }

  /** Reads the {@code quotas} section; wrong types fail with 400 (unknown keys are {@link GatewayOptions}' to refuse). */
  public QuotaOptions(JsonObject json) {
    try {
      instancesPerRequest = json.getInteger("instancesPerRequest", DEFAULT_INSTANCES_PER_REQUEST);
      actorsPerRealm = json.getInteger("actorsPerRealm", DEFAULT_ACTORS_PER_REALM);
      jobsPerRealm = json.getInteger("jobsPerRealm", DEFAULT_JOBS_PER_REALM);
      spoolBytesPerRealm = json.getLong("spoolBytesPerRealm", DEFAULT_SPOOL_BYTES_PER_REALM);
      streamsPerToken = json.getInteger("streamsPerToken", DEFAULT_STREAMS_PER_TOKEN);
    } catch (ClassCastException e) {
      throw new BeachException(ErrorCode.BAD_REQUEST, "gateway.quotas has a value of the wrong type: " + e.getMessage());
    }
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("instancesPerRequest", instancesPerRequest)
      .put("actorsPerRealm", actorsPerRealm)
      .put("jobsPerRealm", jobsPerRealm)
      .put("spoolBytesPerRealm", spoolBytesPerRealm)
      .put("streamsPerToken", streamsPerToken);
  }

  /** Every quota is at least 1; fails with 400 naming the key. */
  public QuotaOptions validate() {
    JsonObject json = toJson();
    for (String key : json.fieldNames()) {
      if (((Number) json.getValue(key)).longValue() < 1) {
        throw new BeachException(ErrorCode.BAD_REQUEST, "gateway.quotas." + key + " must be at least 1");
      }
    }
    return this;
  }

  public int getInstancesPerRequest() {
    return instancesPerRequest;
  }

  public QuotaOptions setInstancesPerRequest(int instancesPerRequest) {
    this.instancesPerRequest = instancesPerRequest;
    return this;
  }

  public int getActorsPerRealm() {
    return actorsPerRealm;
  }

  public QuotaOptions setActorsPerRealm(int actorsPerRealm) {
    this.actorsPerRealm = actorsPerRealm;
    return this;
  }

  public int getJobsPerRealm() {
    return jobsPerRealm;
  }

  public QuotaOptions setJobsPerRealm(int jobsPerRealm) {
    this.jobsPerRealm = jobsPerRealm;
    return this;
  }

  public long getSpoolBytesPerRealm() {
    return spoolBytesPerRealm;
  }

  public QuotaOptions setSpoolBytesPerRealm(long spoolBytesPerRealm) {
    this.spoolBytesPerRealm = spoolBytesPerRealm;
    return this;
  }

  public int getStreamsPerToken() {
    return streamsPerToken;
  }

  public QuotaOptions setStreamsPerToken(int streamsPerToken) {
    this.streamsPerToken = streamsPerToken;
    return this;
  }

  @Override
  public String toString() {
    return toJson().encode();
  }
}
