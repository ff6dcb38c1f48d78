/**
 * This node's actors: {@link dev.beach.impl.hosting.LocalActors} starts, stops and drains them;
 * {@link dev.beach.impl.hosting.ActorCell} is one actor's mailbox, handlers and counters;
 * {@link dev.beach.impl.hosting.Routes} gets inbound messages (bus, envelopes) to the right cell;
 * {@code Batch} runs the built-in batch op; {@link dev.beach.impl.hosting.RequestImpl} is a request in a mailbox.
 */
package dev.beach.impl.hosting;
