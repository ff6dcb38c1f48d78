/**
 * Beach's public API: write an {@link dev.beach.Actor}, start a {@link dev.beach.BeachNode}, and reach
 * categories through the {@link dev.beach.Beach} client's {@link dev.beach.ActorHandle}s. Names and
 * addresses are owned by {@link dev.beach.Address}; failures are {@link dev.beach.BeachException}s with an
 * {@link dev.beach.ErrorCode} equal to the HTTP status the gateway answers with.
 */
package dev.beach;
