package dev.beach.launcher.impl;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Free-port probing for defaults and {@code beach fork}. A probe can race with another process binding the
 * same port; the bind that follows then fails with a clear message, which is acceptable for a default.
 */
public final class Ports {

  private Ports() {
  }

  /** Whether nothing listens on {@code host:port}; connections lingering in TIME_WAIT do not count, as for servers. */
  public static boolean free(String host, int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(host, port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The first free port in {@code [from, from + count)}, else any free port. */
  public static int firstFree(String host, int from, int count) {
    for (int p = from; p < from + count && p <= 65535; p++) {
      if (free(host, p)) {
        return p;
      }
    }
    return anyFree(host);
  }

  /** A port the system says is free now. */
  public static int anyFree(String host) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(false);
      s.bind(new InetSocketAddress(host, 0));
      return s.getLocalPort();
    } catch (IOException e) {
      throw new ConfigException("cluster.host", "cannot bind to " + host + ": " + e.getMessage()
        + " (cluster.host and gateway.host must be addresses of this machine)");
    }
  }
}
