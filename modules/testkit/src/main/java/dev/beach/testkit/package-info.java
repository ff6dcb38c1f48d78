/**
 * Testing Beach actors and clusters: {@link dev.beach.testkit.ActorTestKit} runs one actor on a single
 * node without a cluster; {@link dev.beach.testkit.BeachCluster} starts N clustered nodes in this JVM on
 * 127.0.0.1 for a test class and tears them down.
 */
package dev.beach.testkit;
