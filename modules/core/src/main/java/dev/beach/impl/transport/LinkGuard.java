package dev.beach.impl.transport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The limits on what a node's link listeners accept from whoever connects, and the count of what they turned
 * away. A connection that has not finished its handshake may send frames of at most {@link #MAX_HANDSHAKE_FRAME}
 * bytes and must finish within the handshake deadline; this node accepts at most {@link #DEFAULT_MAX_INBOUND} link
 * connections in all and {@link #DEFAULT_MAX_INBOUND_PER_ADDRESS} from one remote address. Every connection
 * closed for breaking a rule is counted by {@link Reason} and logged at WARN once per reason and remote address
 * (then at DEBUG), so a stranger knocking every second cannot flood the log.
 * <p>
 * Why these figures: a legitimate peer opens at most {@link NodeLinks#MAX_LINKS_PER_PEER} (64) links to a node, so
 * 256 per address lets four nodes share a host (`beach fork`, tests); 1024 in all is sixteen such peers. The
 * largest handshake frame is a few hundred bytes.
 */
public final class LinkGuard {

  private static final Logger LOG = LoggerFactory.getLogger(LinkGuard.class);

  /** The largest frame accepted before the handshake completes (a hello is a few hundred bytes). */
  public static final int MAX_HANDSHAKE_FRAME = 4 * 1024;
  /** A connection that has not completed its handshake this long after it opened is closed. */
  public static final long DEFAULT_HANDSHAKE_TIMEOUT_MS = 5_000;
  public static final int DEFAULT_MAX_INBOUND = 1024;
  public static final int DEFAULT_MAX_INBOUND_PER_ADDRESS = 256;
  /** Past this many distinct (reason, address) pairs logged at WARN, further ones go to DEBUG only. */
  private static final int MAX_LOGGED = 1024;

  /** Why a link connection was closed. */
  public enum Reason {
    /** A frame too large (before the handshake: over {@link #MAX_HANDSHAKE_FRAME}), of an unknown type, or unreadable. */
    FRAME,
    /** A handshake that was not the protocol: wrong first frame, version, cluster name or node. */
    HANDSHAKE,
    /** A missing or wrong proof of the cluster secret, or one side with a secret and the other without. */
    AUTH,
    /** No completed handshake within the deadline. */
    DEADLINE,
    /** Over the cap of inbound connections, in all or from one address. */
    CAP
  }

  private final AtomicLongArray counts = new AtomicLongArray(Reason.values().length);
  private final Set<String> logged = ConcurrentHashMap.newKeySet();
  private final AtomicInteger inbound = new AtomicInteger();
  private final ConcurrentHashMap<String, Integer> perAddress = new ConcurrentHashMap<>();
  private volatile long handshakeTimeoutMs = DEFAULT_HANDSHAKE_TIMEOUT_MS;
  private volatile int maxInbound = DEFAULT_MAX_INBOUND;
  private volatile int maxInboundPerAddress = DEFAULT_MAX_INBOUND_PER_ADDRESS;

  /** Changes the deadline and caps (tests shorten them); applies to connections accepted from now on. */
  public LinkGuard limits(long handshakeTimeoutMs, int maxInbound, int maxInboundPerAddress) {
    this.handshakeTimeoutMs = handshakeTimeoutMs;
    this.maxInbound = maxInbound;
    this.maxInboundPerAddress = maxInboundPerAddress;
    return this;
  }

  long handshakeTimeoutMs() {
    return handshakeTimeoutMs;
  }

  /** Inbound link connections open now, handshaking or not (what the caps count). */
  public int inboundConnections() {
    return inbound.get();
  }

  /** Connections closed for {@code reason} since the node started. */
  public long rejected(Reason reason) {
    return counts.get(reason.ordinal());
  }

  /** Connections closed for any reason since the node started. */
  public long rejected() {
    long n = 0;
    for (int i = 0; i < counts.length(); i++) {
      n += counts.get(i);
    }
    return n;
  }

  /**
   * Whether one more inbound connection from {@code address} fits under the caps; if so it holds a place until
   * {@link #release}. A refusal is counted and logged.
   */
  boolean admit(String address) {
    if (inbound.incrementAndGet() > maxInbound) {
      inbound.decrementAndGet();
      reject(Reason.CAP, address, "refused a link connection from " + address + ": " + maxInbound
        + " link connections are open already");
      return false;
    }
    int cap = maxInboundPerAddress;
    boolean[] fits = {false};
    perAddress.compute(address, (a, n) -> {
      int now = n == null ? 0 : n;
      fits[0] = now < cap;
      return fits[0] ? now + 1 : n;
    });
    if (!fits[0]) {
      inbound.decrementAndGet();
      reject(Reason.CAP, address, "refused a link connection from " + address + ": " + cap
        + " link connections from that address are open already");
    }
    return fits[0];
  }

  void release(String address) {
    inbound.decrementAndGet();
    perAddress.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
  }

  /** Counts a connection closed for {@code reason}; logs {@code message} at WARN the first time per reason and address. */
  void reject(Reason reason, String address, String message) {
    counts.incrementAndGet(reason.ordinal());
    String key = reason + " " + address;
    if (!logged.contains(key) && logged.size() < MAX_LOGGED && logged.add(key)) {
      LOG.warn("{} (reason {}; further ones from there are logged at DEBUG)", message, reason);
    } else {
      LOG.debug("{} (reason {})", message, reason);
    }
  }
}
