package dev.beach.impl.deploy;

import dev.beach.BeachException;
import dev.beach.Deployment;
import dev.beach.ErrorCode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * A deployment as the cluster stores it: the record, its generation (one more at every apply or scale, so applying
 * a failed deployment again resets its restart history) and its revision (a hash of what its actors run: class,
 * realm, categories, parameters, concurrency, mailbox, and the restart revision a rollout restart bumps; a new
 * revision rolls the actors). Stored as JSON text, never
 * Java serialization: {@code {deployment, generation, revision, appliedAt}}.
 */
record DeploymentRecord(Deployment deployment, long generation, String revision, long appliedAt) {

  static DeploymentRecord of(Deployment d, long generation, long appliedAt) {
    return new DeploymentRecord(d, generation, revision(d), appliedAt);
  }

  ReconcilerDecisions.Desired desired() {
    return new ReconcilerDecisions.Desired(deployment, revision, generation);
  }

  String encode() {
    return new JsonObject().put("deployment", deployment.toJson(true)).put("generation", generation)
      .put("revision", revision).put("appliedAt", appliedAt).encode();
  }

  static DeploymentRecord decode(String text) {
    try {
      JsonObject json = new JsonObject(text);
      Deployment d = new Deployment(json.getJsonObject("deployment")).validate();
      return new DeploymentRecord(d, json.getLong("generation", 1L), revision(d), json.getLong("appliedAt", 0L));
    } catch (RuntimeException e) {
      throw new BeachException(ErrorCode.BAD_REQUEST, "unreadable deployment record: " + e.getMessage());
    }
  }

  /** 12 hex digits of the SHA-256 of what the actors run, keys sorted, so equal content gives an equal revision. */
  static String revision(Deployment d) {
    JsonObject what = new JsonObject().put("realm", d.getRealm()).put("class", d.getClassName())
      .put("categories", new JsonArray(d.getCategories())).put("params", d.getParams())
      .put("concurrency", d.getConcurrency()).put("mailboxSize", d.getMailboxSize());
    if (d.getRestartRevision() > 0) {
      // Only once restarted: the revisions of deployments never restarted stay what they were before this field.
      what.put("restartRevision", d.getRestartRevision());
    }
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(canonical(what).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String canonical(Object value) {
    if (value instanceof JsonObject) {
      Map<String, Object> sorted = new TreeMap<>(((JsonObject) value).getMap());
      StringBuilder out = new StringBuilder("{");
      sorted.forEach((k, v) -> out.append(canonical(k)).append(':').append(canonical(v)).append(','));
      return out.append('}').toString();
    }
    if (value instanceof JsonArray) {
      StringBuilder out = new StringBuilder("[");
      ((JsonArray) value).forEach(v -> out.append(canonical(v)).append(','));
      return out.append(']').toString();
    }
    if (value instanceof Map || value instanceof java.util.List) {
      return canonical(value instanceof Map ? new JsonObject(castMap(value)) : new JsonArray((java.util.List<?>) value));
    }
    return new JsonArray().add(value).encode();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Object value) {
    return (Map<String, Object>) value;
  }
}
