package dev.beach.launcher.impl;

/**
 * A configuration that cannot run: the message names the key (e.g. {@code cluster.port}) and where it was set,
 * so the operator knows which line or variable to fix. {@code beach node} prints it and exits with code 2.
 */
public final class ConfigException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String key;

  public ConfigException(String key, String message) {
    super(message, null, false, false);
    this.key = key;
  }

  /** The dotted key at fault ({@code cluster.port}, {@code deploy[2]}), or null when the whole file is. */
  public String key() {
    return key;
  }
}
