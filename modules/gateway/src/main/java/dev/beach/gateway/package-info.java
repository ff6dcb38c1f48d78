/**
 * The Beach gateway: HTTP/JSON API (v1), Server-Sent Events of cluster events, bearer-token auth, Prometheus
 * metrics, health probes, the OpenAPI spec and the dashboard, for one {@link dev.beach.BeachNode}.
 * Start one with {@link dev.beach.gateway.Gateway#start}; configure it with {@link dev.beach.gateway.GatewayOptions}.
 */
package dev.beach.gateway;
