/** The Taskmill server: an engine with its REST API, health, metrics, API keys and audit trail. */
package io.taskmill.server;
