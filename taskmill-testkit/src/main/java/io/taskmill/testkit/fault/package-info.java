/**
 * Fault injection for the Store seam: {@link io.taskmill.testkit.fault.FaultInjectingStore} wraps
 * any store and fails or delays chosen operations at seeded random rates, so engine tests can prove
 * that claims, renewals and completions survive an unreliable database. Process, network and
 * database-server faults (kill -9, SIGSTOP, restarts) live in the cluster harness of the store's
 * own module, not here.
 */
package io.taskmill.testkit.fault;
