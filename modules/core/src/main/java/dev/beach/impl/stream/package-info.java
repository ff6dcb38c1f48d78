/**
 * Streamed replies: {@link dev.beach.impl.stream.Streams} opens both ends and routes frames; the reader grants
 * credit as its consumer reads, the writer never sends beyond it.
 */
package dev.beach.impl.stream;
