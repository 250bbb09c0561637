/**
 * The Store SPI: the one interface between the engine and persistence, with its parameter and
 * result records. Implementations live in other modules ({@code taskmill-jdbc}); the contract suite
 * in {@code taskmill-testkit} defines what they must do.
 */
package io.taskmill.spi;
