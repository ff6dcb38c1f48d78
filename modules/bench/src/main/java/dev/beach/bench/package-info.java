/**
 * Benchmarks: {@link dev.beach.bench.Bench} runs one {@link dev.beach.bench.Scenario} by name and prints
 * its figures as one closing line of JSON. Scenarios register through {@code ServiceLoader}.
 */
package dev.beach.bench;
