package dev.beach.launcher.cli;

/** A failure a client command reports as one line on standard error, with a non-zero exit code. */
public final class CliException extends RuntimeException {

  private final int status;

  public CliException(String message) {
    this(0, message);
  }

  /** {@code status}: the HTTP status of the gateway's answer, 0 when there was none. */
  public CliException(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
