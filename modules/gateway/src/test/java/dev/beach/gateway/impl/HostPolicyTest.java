package dev.beach.gateway.impl;

import dev.beach.gateway.GatewayOptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link HostPolicy#check} remembers its last verdict: alternating hosts must each keep their own answer. */
class HostPolicyTest {

  @Test
  void eachHostKeepsItsVerdictWhateverWasCheckedBefore() {
    HostPolicy loopback = new HostPolicy(new GatewayOptions(), true);
    for (int i = 0; i < 3; i++) {
      assertNull(loopback.check("127.0.0.1:8080"));
      assertNull(loopback.check("127.0.0.1:8080"));
      String refused = loopback.check("rebound.example.com:8080");
      assertNotNull(refused, "a rebound name was answered");
      assertTrue(refused.contains("rebound.example.com"), refused);
      assertTrue(loopback.check("bad host!").startsWith("malformed"));
      assertNull(loopback.check("localhost:8080"));
    }
  }
}
