/**
 * The job as data: its states and their transitions, outcomes of attempts, and its history
 * (events and log lines). Nothing here does I/O.
 */
package io.taskmill.job;
