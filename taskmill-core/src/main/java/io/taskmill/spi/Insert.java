package io.taskmill.spi;

/**
 * A write that adds a row unless its key is taken: a taken key changes nothing, so {@link
 * StoreTx#change} answers 0 on every store and the transaction goes on (PostgreSQL's {@code ON
 * CONFLICT DO NOTHING}; on H2 the store turns the unique violation into 0 rows). The engine decides
 * what a taken key means. Run one with {@link StoreTx#change}; {@link StoreTx#changeEach} refuses
 * them.
 */
public interface Insert extends Change {}
