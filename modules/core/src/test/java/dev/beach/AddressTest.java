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

  /**
   * The validators are hand-written loops (they run for every request); they must accept exactly what the
   * documented rules' regular expressions accept. Random strings over an alphabet with every class boundary.
   */
  @Test
  void validatorsAcceptExactlyWhatTheRulesSay() {
    java.util.regex.Pattern realm = java.util.regex.Pattern.compile(Address.REALM_RULE);
    java.util.regex.Pattern category = java.util.regex.Pattern.compile("[a-z0-9_-]+(\\.[a-z0-9_-]+)*");
    java.util.regex.Pattern op = java.util.regex.Pattern.compile("[A-Za-z0-9_.-]{1,128}");
    java.util.regex.Pattern id = java.util.regex.Pattern.compile(Address.ACTOR_ID_RULE);
    String alphabet = "az09AZ_-.~ /@\u00e9\u0000:";
    java.util.Random random = new java.util.Random(42);
    int accepted = 0;
    for (int i = 0; i < 40_000; i++) {
      int length = random.nextInt(4) == 0 ? 60 + random.nextInt(200) : random.nextInt(8);
      StringBuilder b = new StringBuilder();
      for (int k = 0; k < length; k++) {
        b.append(random.nextInt(3) == 0 ? alphabet.charAt(random.nextInt(alphabet.length())) : (char) ('a' + random.nextInt(3)));
      }
      String s = b.toString();
      accepted += check(s, realm.matcher(s).matches(), () -> Address.validateRealm(s));
      accepted += check(s, category.matcher(s).matches() && s.length() <= 255, () -> Address.validateCategory(s));
      accepted += check(s, op.matcher(s).matches(), () -> Address.validateOp(s));
      accepted += check(s, id.matcher(s).matches(), () -> Address.validateActorId(s));
    }
    assertTrue(accepted > 2_000, "the sample barely exercised the accepting side: " + accepted);
  }

  private static int check(String s, boolean expected, Runnable validate) {
    boolean actual;
    try {
      validate.run();
      actual = true;
    } catch (BeachException e) {
      actual = false;
    }
    assertEquals(expected, actual, () -> "'" + s + "' (" + s.length() + " chars)");
    return actual ? 1 : 0;
  }

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
