package dev.beach.impl.transport;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Request ids: random, URL-safe, printable; kept across retries so handlers can de-duplicate. Correlation
 * numbers: random 64-bit values that nobody can predict from ones they saw (unlike {@link ThreadLocalRandom}'s,
 * which request ids and so every handler see).
 */
public final class Ids {

  /** Correlation numbers drawn per thread, 64 at a time, so one costs an array read (a DRBG call per 64). */
  private static final ThreadLocal<CorrPool> CORRS = ThreadLocal.withInitial(CorrPool::new);

  private Ids() {
  }

  private static final class CorrPool {
    final SecureRandom random = new SecureRandom();
    final byte[] bytes = new byte[64 * Long.BYTES];
    final ByteBuffer view = ByteBuffer.wrap(bytes);
    int next = bytes.length;

    long take() {
      if (next == bytes.length) {
        random.nextBytes(bytes);
        next = 0;
      }
      long v = view.getLong(next);
      next += Long.BYTES;
      return v;
    }
  }

  /** A correlation number for one request: random, 64 bits, from a {@link SecureRandom}. */
  public static long corr() {
    return CORRS.get().take();
  }

  public static String requestId() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return Long.toString(r.nextLong() & Long.MAX_VALUE, 36) + Long.toString(r.nextInt() & Integer.MAX_VALUE, 36);
  }
}
