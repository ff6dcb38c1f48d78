package dev.beach.compute;

import io.vertx.core.streams.ReadStream;

/**
 * A job whose results arrive as a back-pressured stream of {@link ItemResult}: pausing the stream (or not
 * fetching) makes the job stop dispatching once {@link JobOptions#getMaxBufferedResults()} results wait.
 * The stream ends after the last result; a job that fails, times out or is cancelled calls the exception
 * handler (with a {@link dev.beach.BeachException}) after the results that were ready.
 */
public interface JobStream extends ReadStream<ItemResult>, Job {
}
