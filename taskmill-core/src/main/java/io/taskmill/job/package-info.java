/**
 * The job as data: its states and their transitions, outcomes of attempts, its history (events and
 * log lines), and the queries and counts that read jobs back. Nothing here does I/O.
 */
package io.taskmill.job;
