/**
 * The caller side: {@link dev.beach.impl.client.BeachClient} (deploy, stop, listings: placement plus
 * control-plane fan-out), {@code HandleImpl} (picks an actor per request, retries with the same id),
 * {@link dev.beach.impl.client.CallerBoundBeach} (completes every future on the caller's context).
 */
package dev.beach.impl.client;
