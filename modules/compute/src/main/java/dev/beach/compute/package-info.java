/**
 * Jobs over a category's actors: {@link dev.beach.compute.Jobs} (map, ordered and unordered streams, apply,
 * submit, background jobs with kept results), {@link dev.beach.compute.JobOptions}, futures that always complete
 * ({@link dev.beach.compute.JobFuture}), per-item results ({@link dev.beach.compute.ItemResult}) and progress
 * ({@link dev.beach.compute.JobProgress}, published as {@code job.progress} events).
 */
package dev.beach.compute;
