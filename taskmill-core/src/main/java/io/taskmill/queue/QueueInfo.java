package io.taskmill.queue;

/**
 * One queue as this node sees it.
 *
 * @param concurrency most jobs of this queue running at once on this node
 * @param running jobs of this queue running now on this node
 */
public record QueueInfo(String name, int concurrency, boolean paused, int running) {}
