/**
 * How {@code beach node} and {@code beach fork} work: configuration loading and checking (YAML, {@code BEACH_*}
 * variables, flags), the Vert.x launcher hooks, signals, sample realms, child processes.
 */
package dev.beach.launcher.impl;
