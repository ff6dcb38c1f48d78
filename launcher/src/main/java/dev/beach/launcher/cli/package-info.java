/**
 * The {@code beach} client commands and the interactive shell, talking to a gateway over HTTP.
 * {@link dev.beach.launcher.cli.ClientCli#addTo} adds them to the launcher's command line.
 */
package dev.beach.launcher.cli;
