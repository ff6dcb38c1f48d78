package dev.beach.gateway.impl;

/**
 * Who may call a route when tokens are configured (with no token configured the gateway is open and binds
 * to loopback only). The matrix is documented in the module README and in {@code openapi.yaml}.
 */
public enum Access {
  /** Anyone: probes, the spec, the dashboard. */
  PUBLIC,
  /** Any valid token; realm tokens see only their realm in the answer (realms list, events). */
  ANY,
  /** The admin token or the token of the realm named in the path. */
  REALM,
  /** The admin token only. */
  ADMIN
}
