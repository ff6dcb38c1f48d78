package dev.beach.launcher.cli;

import dev.beach.Address;

/**
 * What the shell's commands share: the gateway client, the output form and the current realm
 * ({@code realm X} switches it). A command run outside the shell gets a session of its own.
 */
final class Session {

  final GatewayClient client;
  final boolean json;
  private String realm;

  Session(GatewayClient client, boolean json, String realm) {
    this.client = client;
    this.json = json;
    this.realm = realm == null ? Address.DEFAULT_REALM : realm;
  }

  String realm() {
    return realm;
  }

  void realm(String realm) {
    this.realm = realm;
  }
}
