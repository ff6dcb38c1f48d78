/**
 * The node runtime. {@code NodeParts} builds a node's parts from the sub-packages (who talks to whom),
 * {@link dev.beach.impl.NodeRuntime} starts them in order and stops them in reverse; {@code NodeEndpoint} sorts what arrives at the node's own address.
 * <ul>
 *   <li>{@code transport}: how requests cross between nodes (envelopes, node links, coalescing, lanes);</li>
 *   <li>{@code hosting}: this node's actors (cells and mailboxes, inbound routing, the batch op);</li>
 *   <li>{@code directory}: the cluster as this node sees it (directory, membership, events, statistics,
 *   placement);</li>
 *   <li>{@code stream}: streamed replies with credit;</li>
 *   <li>{@code client}: the caller side ({@link dev.beach.Beach} and handles);</li>
 *   <li>{@code control}: the control plane each node serves;</li>
 *   <li>{@code code}: realm code; {@code cluster}: Hazelcast.</li>
 * </ul>
 * Dependencies point one way: client and control over hosting, hosting over directory and stream, all of them
 * over transport and cluster; only this package sees them all. modules/core/README.md draws it.
 */
package dev.beach.impl;
