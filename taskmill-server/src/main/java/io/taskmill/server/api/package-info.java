/** The API's resources: jobs, handlers, queues, nodes, stats, keys, audit, health, OpenAPI. */
package io.taskmill.server.api;
