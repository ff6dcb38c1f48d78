package dev.beach.compute;

/**
 * A scope of jobs (splice.io's cluster session): the same methods as {@link Jobs}, and {@link #close()} cancels
 * every job started through it that is still running, so an exception in the middle leaves no job behind.
 */
public interface JobSession extends Jobs, AutoCloseable {

  /** Cancels the session's running jobs; returns how many were cancelled. Later jobs fail with 409. */
  int cancelAll();

  @Override
  void close();
}
