package dev.beach.impl.transport;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The link proofs: only the same secret verifies, and a proof is good for one role, pair of nodes, acceptor address
 * and pair of nonces.
 */
class LinkAuthTest {

  private static final String SECRET = "0123456789abcdef-secret";
  private final LinkAuth auth = new LinkAuth("beach", SECRET);
  private final byte[] n1 = LinkAuth.nonce();
  private final byte[] n2 = LinkAuth.nonce();

  @Test
  void theSameSecretVerifiesAndAnotherDoesNot() {
    byte[] proof = auth.proof(LinkAuth.ACCEPTOR, "a", "b", "h:1", n1, n2);
    assertTrue(new LinkAuth("beach", SECRET).verify(proof, LinkAuth.ACCEPTOR, "a", "b", "h:1", n1, n2));
    assertFalse(new LinkAuth("beach", SECRET + "x").verify(proof, LinkAuth.ACCEPTOR, "a", "b", "h:1", n1, n2));
    assertFalse(new LinkAuth("other", SECRET).verify(proof, LinkAuth.ACCEPTOR, "a", "b", "h:1", n1, n2), "another cluster");
    assertFalse(auth.verify(null, LinkAuth.ACCEPTOR, "a", "b", "h:1", n1, n2));
    assertFalse(auth.verify(new byte[3], LinkAuth.ACCEPTOR, "a", "b", "h:1", n1, n2));
  }

  @Test
  void aProofIsBoundToItsRoleNodesAndNonces() {
    byte[] proof = auth.proof(LinkAuth.ACCEPTOR, "a", "b", "h:1", n1, n2);
    assertFalse(auth.verify(proof, LinkAuth.CONNECTOR, "a", "b", "h:1", n1, n2), "an acceptor's proof is no connector's");
    assertFalse(auth.verify(proof, LinkAuth.ACCEPTOR, "b", "a", "h:1", n1, n2), "nodes swapped");
    assertFalse(auth.verify(proof, LinkAuth.ACCEPTOR, "a", "c", "h:1", n1, n2), "another acceptor");
    assertFalse(auth.verify(proof, LinkAuth.ACCEPTOR, "a", "b", "h:1", n1, LinkAuth.nonce()), "another connection");
    assertFalse(auth.verify(proof, LinkAuth.ACCEPTOR, "a", "b", "h:1", n2, n1), "nonces swapped");
    assertFalse(auth.verify(proof, LinkAuth.ACCEPTOR, "a", "b", "h:2", n1, n2), "another address (a relay)");
  }

  @Test
  void fieldsCannotSlideIntoEachOther() {
    assertNotEquals(java.util.Arrays.toString(LinkAuth.transcript("c", "r", "ab", "c", "h:1", n1, n2)),
      java.util.Arrays.toString(LinkAuth.transcript("c", "r", "a", "bc", "h:1", n1, n2)));
    assertArrayEquals(auth.proof(LinkAuth.CONNECTOR, "a", "b", "h:1", n1, n2), auth.proof(LinkAuth.CONNECTOR, "a", "b", "h:1", n1, n2));
    assertEquals(32, auth.proof(LinkAuth.CONNECTOR, "a", "b", "h:1", n1, n2).length);
  }

  @Test
  void withoutASecretTheSchemeIsNone() {
    assertEquals(LinkAuth.NONE, new LinkAuth("beach", null).scheme());
    assertFalse(new LinkAuth("beach", null).hasSecret());
    assertEquals(LinkAuth.HMAC, auth.scheme());
    assertNotEquals(java.util.Arrays.toString(LinkAuth.nonce()), java.util.Arrays.toString(LinkAuth.nonce()));
  }
}
