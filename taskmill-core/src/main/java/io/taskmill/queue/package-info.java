/** What the engine reports of its queues. */
package io.taskmill.queue;
