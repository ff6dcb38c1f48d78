package dev.beach.impl.transport;

import java.util.concurrent.ThreadLocalRandom;

/** Request ids: random, URL-safe, printable; kept across retries so handlers can de-duplicate. */
public final class Ids {

  private Ids() {
  }

  public static String requestId() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return Long.toString(r.nextLong() & Long.MAX_VALUE, 36) + Long.toString(r.nextInt() & Integer.MAX_VALUE, 36);
  }
}
