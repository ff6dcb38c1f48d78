/** {@code beach bench gateway}: HTTP dispatch through the gateway against a bare vertx-web route. */
package dev.beach.gateway.bench;
