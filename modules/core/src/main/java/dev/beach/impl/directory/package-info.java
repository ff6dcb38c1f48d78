/**
 * The cluster as this node sees it: {@link dev.beach.impl.directory.Directory} (every actor, by realm and
 * category prefix), {@link dev.beach.impl.directory.Events} (numbered, batched directory events on
 * {@code beach._events}), {@link dev.beach.impl.directory.Membership} (who is live, peers' statistics, snapshot
 * pulls when a directory falls behind, departures), {@link dev.beach.impl.directory.NodeStats} (this node's
 * load, published about once a second) and {@link dev.beach.impl.directory.Placements} (where new actors land).
 */
package dev.beach.impl.directory;
