package dev.beach.impl.cluster;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

/**
 * Keys derived from the cluster secret, one per use (node-link proofs, code signatures), so that a value made for
 * one use can never be replayed as another: {@code key = HMAC-SHA256(secret, purpose)}. The one place that knows how.
 */
public final class SecretKeys {

  private static final String ALGORITHM = "HmacSHA256";

  private SecretKeys() {
  }

  /** The key for {@code purpose} (a versioned label), or null when there is no secret. */
  public static SecretKeySpec derive(String secret, String purpose) {
    if (secret == null || secret.isEmpty()) {
      return null;
    }
    byte[] derived = hmac(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM),
      purpose.getBytes(StandardCharsets.UTF_8));
    return new SecretKeySpec(derived, ALGORITHM);
  }

  /** HMAC-SHA256 of {@code data} under {@code key}. */
  public static byte[] hmac(SecretKeySpec key, byte[] data) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM has no " + ALGORITHM, e);
    }
  }
}
