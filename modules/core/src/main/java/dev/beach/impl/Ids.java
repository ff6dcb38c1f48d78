package dev.beach.impl;

import java.util.concurrent.ThreadLocalRandom;

/** Request ids: random, URL-safe, printable; kept across retries so handlers can de-duplicate. */
final class Ids {

  private Ids() {
  }

  static String requestId() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return Long.toString(r.nextLong() & Long.MAX_VALUE, 36) + Long.toString(r.nextInt() & Integer.MAX_VALUE, 36);
  }
}
