package dev.beach.impl.cluster;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.beach.ClusterOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A member configured by Beach refuses to rebuild, through Java serialization, classes outside Hazelcast's and the
 * JDK's: what a rogue member could otherwise plant in a map for every node to deserialize.
 */
class JavaSerializationFilterTest {

  /** Stands for a gadget class: Serializable, on the classpath, not Hazelcast's or the JDK's. */
  static final class Planted implements Serializable {
    private static final long serialVersionUID = 1L;
    final String payload = "boom";
  }

  private HazelcastInstance member;

  @AfterEach
  void stop() {
    if (member != null) {
      member.getLifecycleService().terminate();
    }
  }

  @Test
  void aSerializableClassOfTheClasspathIsRefusedAndJdkValuesStillPass() {
    member = Hazelcast.newHazelcastInstance(HazelcastSupport.config(new ClusterOptions()
      .setName("filter-" + System.nanoTime()).setHost("127.0.0.1").setPort(0)));
    IMap<String, Object> map = member.getMap("planted");

    map.put("jdk", new ArrayList<>(List.of("a", 1L)));
    assertEquals(List.of("a", 1L), map.get("jdk"), "JDK collections still round-trip");

    map.put("gadget", new Planted()); // writing is not the danger: the readers deserialize
    RuntimeException refused = assertThrows(RuntimeException.class, () -> map.get("gadget"));
    assertTrue(chain(refused).contains("Resolving class " + Planted.class.getName() + " is not allowed"), chain(refused));
  }

  @Test
  void jdkPackagesThatGadgetChainsUseAreRefusedToo() {
    member = Hazelcast.newHazelcastInstance(HazelcastSupport.config(new ClusterOptions()
      .setName("filter-" + System.nanoTime()).setHost("127.0.0.1").setPort(0)));
    IMap<String, Object> map = member.getMap("planted");
    map.put("jmx", new javax.management.BadAttributeValueExpException("x"));
    RuntimeException refused = assertThrows(RuntimeException.class, () -> map.get("jmx"));
    assertTrue(chain(refused).contains("is not allowed"), chain(refused));
  }

  private static String chain(Throwable t) {
    StringBuilder out = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      out.append(c).append(" <- ");
    }
    return out.toString();
  }
}
