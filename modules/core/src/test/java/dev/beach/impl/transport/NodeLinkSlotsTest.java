package dev.beach.impl.transport;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How many links one node keeps to a peer: a link per pair of loops on small machines, never past the cap. */
class NodeLinkSlotsTest {

  @Test
  void smallMachinesGetALinkPerPairOfLoops() {
    assertEquals(4, NodeLinks.remoteSlots(4));
    assertEquals(4, NodeLinks.localSlots(4, 4));
    assertEquals(8, NodeLinks.localSlots(8, 8));
  }

  @Test
  void bigMachinesShareLinksWithinTheCap() {
    for (int remote : new int[]{1, 2, 4, 16, 32, 64, 128, 512}) {
      for (int local : new int[]{1, 2, 4, 16, 32, 64, 128, 512}) {
        int r = NodeLinks.remoteSlots(remote);
        int l = NodeLinks.localSlots(local, r);
        assertTrue(r >= 1 && r <= remote && l >= 1 && l <= local, remote + "x" + local + " gave " + r + "x" + l);
        assertTrue(r * l <= NodeLinks.MAX_LINKS_PER_PEER, remote + "x" + local + " gave " + r * l + " links");
      }
    }
    assertEquals(64, NodeLinks.remoteSlots(128));
    assertEquals(1, NodeLinks.localSlots(128, 64));
    assertEquals(2, NodeLinks.localSlots(32, 32));
  }
}
