/**
 * How jobs run: {@link dev.beach.compute.impl.JobsImpl} creates them, a {@code Dispatcher} hands chunks to the
 * category's workers pull-style and re-dispatches lost ones, feeds read inputs with bounded memory, outputs
 * gather, stream or keep results, and the registry finds jobs by id. Not an API: use {@link dev.beach.compute}.
 */
package dev.beach.compute.impl;
