/**
 * The {@code beach} executable: {@link dev.beach.launcher.Main} and its commands. {@code beach node} runs one node
 * on vertx-launcher-application, {@code beach fork} a local cluster, {@code beach bench} the benchmarks.
 */
package dev.beach.launcher;
