/**
 * How actor requests and replies travel between nodes: {@link dev.beach.impl.transport.Envelope} (the binary
 * codec of coalesced frames), {@link dev.beach.impl.transport.NodeLinks} and {@code NodeLink} (direct TCP links
 * per event loop), {@link dev.beach.impl.transport.Coalescer} (turn-coalescing, correlation, the event-bus
 * fallback), {@link dev.beach.impl.transport.Lanes} (one context and consumer per event loop), the internal
 * header names, and the contracts the layers above implement ({@code Responder}, {@code InboundRequests},
 * {@code StreamOwner}). Knows nothing of actors, directories or clients.
 */
package dev.beach.impl.transport;
