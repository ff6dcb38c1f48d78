package dev.beach.impl.code;

import dev.beach.impl.cluster.SecretKeys;
import javax.crypto.spec.SecretKeySpec;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Signs replicated code entries with the cluster secret (HMAC-SHA256) and checks their signatures in constant
 * time. The key is derived from the secret for this one use, so a code signature can never be replayed as a
 * node-link proof or the other way round. Without a secret it signs nothing and checks nothing.
 */
final class CodeSigner {

  /** Names the purpose of the derived key: change it and every stored signature is void. */
  private static final String PURPOSE = "beach/code-signing/v1";

  private final SecretKeySpec key;

  private CodeSigner(SecretKeySpec key) {
    this.key = key;
  }

  /** A signer keyed by {@code secret}; one that signs nothing when {@code secret} is null or empty. */
  static CodeSigner of(String secret) {
    return new CodeSigner(SecretKeys.derive(secret, PURPOSE));
  }

  /** True when this node has a cluster secret, and so signs what it stores and refuses what it cannot verify. */
  boolean signs() {
    return key != null;
  }

  /** The signature of {@code bytes} in hex; empty without a secret. */
  String sign(byte[] bytes) {
    return key == null ? "" : HexFormat.of().formatHex(SecretKeys.hmac(key, bytes));
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
    return MessageDigest.isEqual(SecretKeys.hmac(key, bytes), claimed);
  }
}
