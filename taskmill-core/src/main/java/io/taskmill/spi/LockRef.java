package io.taskmill.spi;

import java.time.Duration;

/**
 * A lock an attempt believes it holds.
 *
 * @param name the lock's name
 * @param token the fencing token its acquisition was granted
 * @param holder the attempt holding it
 * @param ttl how far past {@code now} each renewal extends it
 */
public record LockRef(String name, long token, LockHolder holder, Duration ttl) {}
