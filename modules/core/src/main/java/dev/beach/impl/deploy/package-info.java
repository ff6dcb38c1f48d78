/**
 * Desired state ({@link dev.beach.Deployment}) and the reconciler that keeps the cluster at it.
 * <ul>
 *   <li>{@link dev.beach.impl.deploy.ReconcilerDecisions}: the decision, a pure function (desired deployments, live
 *   nodes, supervised actors, the leader's {@code ReconcilerMemory} and {@code RestartBook}s → identified start and
 *   stop actions, statuses, events), unit-tested over a simulated membership;</li>
 *   <li>{@link dev.beach.impl.deploy.Reconciler}: the loop on every node that acts only while its node is the oldest
 *   member, executes the decision through {@code NodeService.startInstance/retire} stamped with the member-list
 *   version ({@link dev.beach.impl.cluster.ClusterView}), on events and every {@code node.reconcileIntervalMs};</li>
 *   <li>{@code DeploymentStore} (the replicated map {@code beach.deployments}, cached, repaired, and written to
 *   {@code <dataDir>/deployments.json}), {@code StatusBoard} (statuses and restart books for any node and the next
 *   leader), {@link dev.beach.impl.deploy.Deployments} (the client side), {@link dev.beach.impl.deploy.DesiredState}
 *   (what {@code NodeParts} wires, including a drain's hand-over).</li>
 * </ul>
 * Depends on control, hosting, directory and cluster; {@code impl.client} depends on it.
 */
package dev.beach.impl.deploy;
