package dev.beach.launcher.cli;

import picocli.CommandLine.Option;

/** The options every client command takes: where the gateway is, the token, the output form. */
public final class Connection {

  public static final String DEFAULT_URL = "http://127.0.0.1:8080";

  @Option(names = "--url", paramLabel = "URL",
    description = "Gateway URL (default: $BEACH_URL, else " + DEFAULT_URL + ").")
  String url;

  @Option(names = "--token", paramLabel = "TOKEN", description = "Bearer token (default: $BEACH_TOKEN).")
  String token;

  @Option(names = "--json", description = "Print the gateway's JSON instead of tables (for scripts).")
  boolean json;

  String url() {
    if (url != null) {
      return url;
    }
    String env = System.getenv("BEACH_URL");
    return env == null || env.isBlank() ? DEFAULT_URL : env;
  }

  String token() {
    return token != null ? token : System.getenv("BEACH_TOKEN");
  }
}
