package dev.beach.impl.client;

import dev.beach.ActorInfo;

/**
 * Rendezvous (highest-random-weight) hashing: a key goes to the actor with the highest hash of
 * (key, actor id). Adding an actor moves only the keys it now wins, about 1/N of them; removing one moves
 * only its own keys. py-beach's modulo hashing moved nearly all of them.
 */
final class Rendezvous {

  private Rendezvous() {
  }

  static ActorInfo pick(String key, ActorInfo[] actors) {
    long k = hash(key);
    ActorInfo best = null;
    long bestScore = Long.MIN_VALUE;
    for (ActorInfo a : actors) {
      long score = mix(k ^ hash(a.id()));
      if (best == null || score > bestScore || (score == bestScore && a.id().compareTo(best.id()) < 0)) {
        best = a;
        bestScore = score;
      }
    }
    return best;
  }

  /** 64-bit FNV-1a over the chars: stable across JVMs and releases, unlike relying on String.hashCode mixing. */
  static long hash(String s) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < s.length(); i++) {
      h ^= s.charAt(i);
      h *= 0x100000001b3L;
    }
    return mix(h);
  }

  /** SplitMix64's finaliser: full avalanche so similar ids score independently. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
