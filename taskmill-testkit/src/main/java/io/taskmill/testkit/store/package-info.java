/**
 * The Store contract suite: abstract JUnit classes, one per group of operations, that every {@link
 * io.taskmill.spi.Store} must pass unchanged. Extend each with a class that implements {@code
 * newStore()}; {@link io.taskmill.testkit.store.TestJobs} builds jobs for your own tests.
 */
package io.taskmill.testkit.store;
