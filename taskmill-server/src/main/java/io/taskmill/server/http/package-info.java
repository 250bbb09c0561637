/** The HTTP layer on Jetty's core handlers: routing, problem+json, authentication, audit. */
package io.taskmill.server.http;
