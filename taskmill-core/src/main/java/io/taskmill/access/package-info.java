/**
 * Who may call a Taskmill server and what they did: API keys with their {@link
 * io.taskmill.access.Role}s (only a hash of each secret is ever stored) and the audit trail's
 * entries; plain data and pure functions, no clock read and no I/O.
 */
package io.taskmill.access;
