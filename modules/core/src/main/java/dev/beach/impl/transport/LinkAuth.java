package dev.beach.impl.transport;

import dev.beach.impl.cluster.SecretKeys;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;

/**
 * The proofs that two ends of a {@link NodeLink} exchange to show each other they know the cluster secret, without
 * sending it: each side proves with HMAC-SHA256 over a transcript that holds both sides' fresh nonces, so a proof
 * is good for one connection only and cannot be replayed on another.
 * <p>
 * Key: {@code HMAC-SHA256(secret, "beach/node-links/v2")}, so the secret itself keys nothing on the wire and any
 * later use of it (another protocol) gets a key of its own. Transcript, each field as {@code [int length][UTF-8 or
 * raw bytes]}: {@code "beach-link-v2"}, the role ({@code "acceptor"} or {@code "connector"}: an acceptor's proof
 * never passes for a connector's), the cluster name, the connecting node's id, the accepting node's id, the
 * accepting listener's address as its node advertises it ({@code host:port}), the connector's nonce, the
 * acceptor's nonce. Proofs are compared in constant time.
 * <p>
 * Why the address: adverts travel on the event bus, which does not authenticate senders. A forged advert could
 * send a node's connection to a relay that passes the handshake through to the real peer and then injects frames;
 * with the address in the transcript, the connector (which names the relay's address) and the real acceptor
 * (which names its own) compute different proofs, and the relayed handshake fails.
 * <p>
 * Without a secret (loopback development clusters), {@link #scheme()} is {@link #NONE} and there are no proofs.
 */
final class LinkAuth {

  static final String NONE = "none";
  static final String HMAC = "hmac-sha256";
  static final int NONCE_BYTES = 32;
  static final String ACCEPTOR = "acceptor";
  static final String CONNECTOR = "connector";

  private static final String KEY_LABEL = "beach/node-links/v2";
  private static final String TRANSCRIPT_LABEL = "beach-link-v2";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String cluster;
  /** Null without a secret. */
  private final SecretKeySpec key;

  /** @param secret the cluster secret, or null for none */
  LinkAuth(String cluster, String secret) {
    this.cluster = cluster;
    this.key = SecretKeys.derive(secret, KEY_LABEL);
  }

  boolean hasSecret() {
    return key != null;
  }

  /** What a hello says this side proves with: {@link #HMAC} or {@link #NONE}. */
  String scheme() {
    return key != null ? HMAC : NONE;
  }

  String cluster() {
    return cluster;
  }

  static byte[] nonce() {
    byte[] n = new byte[NONCE_BYTES];
    RANDOM.nextBytes(n);
    return n;
  }

  /** The proof {@code role} gives on the connection of these two nodes and nonces. */
  byte[] proof(String role, String connector, String acceptor, String acceptorAddress, byte[] connectorNonce,
      byte[] acceptorNonce) {
    return SecretKeys.hmac(key, transcript(cluster, role, connector, acceptor, acceptorAddress, connectorNonce, acceptorNonce));
  }

  /** Whether {@code claimed} is the proof {@code role} must give here (false for a null or short one). */
  boolean verify(byte[] claimed, String role, String connector, String acceptor, String acceptorAddress,
      byte[] connectorNonce, byte[] acceptorNonce) {
    return claimed != null && MessageDigest.isEqual(claimed, proof(role, connector, acceptor, acceptorAddress,
      connectorNonce, acceptorNonce));
  }

  static byte[] transcript(String cluster, String role, String connector, String acceptor, String acceptorAddress,
      byte[] connectorNonce, byte[] acceptorNonce) {
    byte[][] fields = {utf8(TRANSCRIPT_LABEL), utf8(role), utf8(cluster), utf8(connector), utf8(acceptor),
      utf8(acceptorAddress), connectorNonce, acceptorNonce};
    int size = 0;
    for (byte[] f : fields) {
      size += 4 + f.length;
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    for (byte[] f : fields) {
      out.putInt(f.length).put(f);
    }
    return out.array();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
