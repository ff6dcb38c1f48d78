/**
 * The node runtime. {@link dev.beach.impl.NodeRuntime} owns a node's life; {@code Routes} gets messages to
 * local actors ({@code ActorCell}: mailbox and stats); {@code Directory} is the cluster-wide actor view,
 * fed by {@code Events} and healed by {@code Membership}; {@code BeachClient} and {@code HandleImpl} are
 * the caller side; {@code Placements} decides where actors land; {@code Streams} carries streamed replies.
 * Realm code loading is in {@code impl.code}, Hazelcast set-up in {@code impl.cluster}.
 */
package dev.beach.impl;
