/** Hazelcast and Vert.x clustering configured in code from {@link dev.beach.ClusterOptions}. */
package dev.beach.impl.cluster;
