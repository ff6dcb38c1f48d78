package dev.beach.impl.client;

import dev.beach.ActorInfo;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RendezvousTest {

  private static ActorInfo[] actors(int n) {
    List<ActorInfo> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      list.add(new ActorInfo("node" + (i % 3) + "-" + i, "r", "C", List.of("c"), "n", 0, null));
    }
    return list.toArray(new ActorInfo[0]);
  }

  @Test
  void addingAnActorMovesOnlyAboutOneInNKeys() {
    int keys = 20_000;
    ActorInfo[] ten = actors(10);
    ActorInfo[] eleven = actors(11);
    int moved = 0;
    Map<String, Integer> load = new HashMap<>();
    for (int k = 0; k < keys; k++) {
      String key = "key-" + k;
      ActorInfo before = Rendezvous.pick(key, ten);
      ActorInfo after = Rendezvous.pick(key, eleven);
      if (!before.id().equals(after.id())) {
        moved++;
        assertEquals(eleven[10].id(), after.id(), "a key only ever moves to the new actor");
      }
      load.merge(after.id(), 1, Integer::sum);
    }
    double fraction = (double) moved / keys;
    assertTrue(fraction > 0.06 && fraction < 0.125, "moved " + fraction + ", expected about 1/11");
    load.values().forEach(n -> assertTrue(n > keys / 11 * 0.8 && n < keys / 11 * 1.2, "uneven: " + load));
  }

  @Test
  void removingAnActorMovesOnlyItsOwnKeys() {
    ActorInfo[] five = actors(5);
    ActorInfo[] four = java.util.Arrays.copyOf(five, 4);
    for (int k = 0; k < 5000; k++) {
      String key = "k" + k;
      ActorInfo before = Rendezvous.pick(key, five);
      if (!before.id().equals(five[4].id())) {
        assertEquals(before.id(), Rendezvous.pick(key, four).id());
      }
    }
  }
}
