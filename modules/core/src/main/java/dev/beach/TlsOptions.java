package dev.beach;

import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * PEM files for TLS, spelled the same wherever TLS is configured: {@code {keyPath, certPath, trustPath}}.
 * {@code eventBus.tls} (mutual TLS between nodes: all three) and {@code gateway.tls} (HTTPS: key and certificate)
 * both read and write this form.
 */
public final class TlsOptions {

  private String keyPath;
  private String certPath;
  private String trustPath;

  public TlsOptions() {
  }

  public TlsOptions(TlsOptions other) {
    this(other.toJson());
  }

  /** Reads {@code {keyPath, certPath, trustPath}}; missing keys stay unset. */
  public TlsOptions(JsonObject json) {
    keyPath = json.getString("keyPath");
    certPath = json.getString("certPath");
    trustPath = json.getString("trustPath");
  }

  /** The keys that are set, and only those. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    if (keyPath != null) {
      json.put("keyPath", keyPath);
    }
    if (certPath != null) {
      json.put("certPath", certPath);
    }
    if (trustPath != null) {
      json.put("trustPath", trustPath);
    }
    return json;
  }

  /** Whether any file is named: TLS was asked for, complete or not. */
  public boolean isConfigured() {
    return keyPath != null || certPath != null || trustPath != null;
  }

  /**
   * Checks that each file TLS needs here is named and readable; fails with {@link ErrorCode#BAD_REQUEST} naming
   * the key ({@code section.keyPath}) and what is wrong with it.
   *
   * @param section      where these options live, e.g. {@code eventBus.tls}
   * @param trustNeeded  whether peers are verified (mutual TLS), so {@code trustPath} is required
   */
  public TlsOptions validate(String section, boolean trustNeeded) {
    String needs = trustNeeded ? "keyPath, certPath and trustPath" : "keyPath and certPath";
    String[][] files = trustNeeded
      ? new String[][]{{"keyPath", keyPath}, {"certPath", certPath}, {"trustPath", trustPath}}
      : new String[][]{{"keyPath", keyPath}, {"certPath", certPath}};
    for (String[] f : files) {
      if (f[1] == null || !Files.isReadable(Path.of(f[1]))) {
        throw new BeachException(ErrorCode.BAD_REQUEST, section + "." + f[0] + " must name a readable PEM file"
          + (f[1] == null ? " (missing)" : ", not " + f[1]) + "; TLS needs " + needs);
      }
    }
    return this;
  }

  public String getKeyPath() {
    return keyPath;
  }

  /** This side's PEM private key. */
  public TlsOptions setKeyPath(String keyPath) {
    this.keyPath = keyPath;
    return this;
  }

  public String getCertPath() {
    return certPath;
  }

  /** This side's PEM certificate (chain). */
  public TlsOptions setCertPath(String certPath) {
    this.certPath = certPath;
    return this;
  }

  public String getTrustPath() {
    return trustPath;
  }

  /** The PEM certificate(s) trusted for peers. */
  public TlsOptions setTrustPath(String trustPath) {
    this.trustPath = trustPath;
    return this;
  }
}
