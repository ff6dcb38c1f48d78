package dev.beach.impl.directory;

import dev.beach.ActorInfo;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DirectoryTest {

  private static ActorInfo actor(String id, String node, String... cats) {
    return new ActorInfo(id, "r", "C", List.of(cats), node, 0, null);
  }

  @Test
  void numberedChangesApplyInOrderAndAGapIsReported() {
    Directory d = new Directory();
    assertTrue(d.apply("n1", 1, List.of(actor("a", "n1", "x")), List.of()));
    assertTrue(d.apply("n1", 1, List.of(actor("dup", "n1", "x")), List.of()), "a repeat is ignored");
    assertNull(d.get("dup"));
    assertFalse(d.apply("n1", 3, List.of(actor("c", "n1", "x")), List.of()), "seq 2 was missed");
    assertNull(d.get("c"));
    d.replaceNode("n1", 3, List.of(actor("a", "n1", "x"), actor("c", "n1", "x")));
    assertEquals(2, d.reach("r", "x").length);
    assertTrue(d.apply("n1", 4, List.of(), List.of("a")));
    assertEquals(1, d.reach("r", "x").length);
  }

  @Test
  void reachIsCachedUntilTheNextChangeAndFollowsPrefixes() {
    Directory d = new Directory();
    d.add(actor("a", "n1", "analytics.ingest"));
    d.add(actor("b", "n2", "analytics"));
    d.add(actor("c", "n2", "analyticsx"));
    ActorInfo[] first = d.reach("r", "analytics");
    assertEquals(2, first.length);
    assertSame(first, d.reach("r", "analytics"));
    d.remove("a");
    assertEquals(1, d.reach("r", "analytics").length);
  }

  @Test
  void purgingANodeRemovesOnlyItsActors() {
    Directory d = new Directory();
    d.add(actor("a", "n1", "x"));
    d.add(actor("b", "n2", "x"));
    assertEquals(1, d.purgeNode("n1"));
    assertEquals(List.of("b"), d.list("r", null).stream().map(ActorInfo::id).toList());
    assertEquals(-1, d.seq("n1"));
  }
}
