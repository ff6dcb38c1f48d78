package dev.beach;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AddressTest {

  @Test
  void buildsTheAddressesOfTheDesign() {
    assertEquals("beach.global.analytics.ingest", Address.category("global", "analytics.ingest"));
    assertEquals("beach.global.@ab12-3", Address.actor("global", "ab12-3"));
    assertEquals("beach._node.n-1", Address.node("n-1"));
    assertEquals("beach._events", Address.EVENTS);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "Global", "-x", "a b", "a/b", "..", "a.b", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"})
  void rejectsBadRealmsQuotingTheRule(String realm) {
    BeachException e = assertThrows(BeachException.class, () -> Address.validateRealm(realm));
    assertEquals(ErrorCode.BAD_REQUEST, e.code());
    assertTrue(e.getMessage().contains(Address.REALM_RULE), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", ".", "a.", ".a", "a..b", "A", "a b", "a/b", "a.@b"})
  void rejectsBadCategories(String category) {
    BeachException e = assertThrows(BeachException.class, () -> Address.validateCategory(category));
    assertTrue(e.getMessage().contains("dot-separated"), e.getMessage());
  }

  @Test
  void rejectsBadOpsAndIdsAndNulls() {
    assertThrows(BeachException.class, () -> Address.validateOp("a b"));
    assertThrows(BeachException.class, () -> Address.validateOp("x".repeat(129)));
    assertThrows(BeachException.class, () -> Address.validateActorId("a.b"));
    BeachException e = assertThrows(BeachException.class, () -> Address.validateRealm(null));
    assertTrue(e.getMessage().contains("(missing)"));
    Address.validateOp("get.user_v2-x");
  }

  @Test
  void reachIsBySegmentNotByString() {
    assertTrue(Address.reaches("analytics", "analytics"));
    assertTrue(Address.reaches("analytics", "analytics.ingest"));
    assertTrue(Address.reaches("analytics.ingest", "analytics.ingest.eu"));
    assertFalse(Address.reaches("analytics", "analyticsx"));
    assertFalse(Address.reaches("analytics.ingest", "analytics"));
    assertEquals(List.of("a", "a.b", "a.b.c"), Address.prefixes("a.b.c"));
    assertEquals("a.b", Address.childOf("a", "a.b.c"));
    assertNull(Address.childOf("a", "a"));
  }

  @Test
  void metricsLabelsNeverCarryActorOrNodeIds() {
    assertEquals("beach.global.@*", Address.metricsLabel(Address.actor("global", "x-1")));
    assertEquals("beach._node.*", Address.metricsLabel(Address.node("abc")));
    assertEquals("beach.global.cat", Address.metricsLabel("beach.global.cat"));
  }
}
