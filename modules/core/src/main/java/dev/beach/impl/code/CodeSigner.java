package dev.beach.impl.code;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Signs replicated code entries with the cluster secret (HMAC-SHA256) and checks their signatures in constant
 * time. The key is derived from the secret for this one use, so a code signature can never be replayed as a
 * node-link proof or the other way round. Without a secret it signs nothing and checks nothing.
 */
final class CodeSigner {

  private static final String ALGORITHM = "HmacSHA256";
  /** Names the purpose of the derived key: change it and every stored signature is void. */
  private static final byte[] PURPOSE = "beach/code-signing/v1".getBytes(StandardCharsets.UTF_8);

  private final SecretKeySpec key;

  private CodeSigner(SecretKeySpec key) {
    this.key = key;
  }

  /** A signer keyed by {@code secret}; one that signs nothing when {@code secret} is null or empty. */
  static CodeSigner of(String secret) {
    if (secret == null || secret.isEmpty()) {
      return new CodeSigner(null);
    }
    byte[] derived = hmac(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM), PURPOSE);
    return new CodeSigner(new SecretKeySpec(derived, ALGORITHM));
  }

  /** True when this node has a cluster secret, and so signs what it stores and refuses what it cannot verify. */
  boolean signs() {
    return key != null;
  }

  /** The signature of {@code bytes} in hex; empty without a secret. */
  String sign(byte[] bytes) {
    return key == null ? "" : HexFormat.of().formatHex(hmac(key, bytes));
  }

  /** True when {@code signature} (hex) is this node's signature of {@code bytes}; compared in constant time. */
  boolean verify(byte[] bytes, String signature) {
    if (key == null || signature == null) {
      return false;
    }
    byte[] claimed;
    try {
      claimed = HexFormat.of().parseHex(signature);
    } catch (IllegalArgumentException e) {
      return false;
    }
    return MessageDigest.isEqual(hmac(key, bytes), claimed);
  }

  private static byte[] hmac(SecretKeySpec key, byte[] bytes) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return mac.doFinal(bytes);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }
}
