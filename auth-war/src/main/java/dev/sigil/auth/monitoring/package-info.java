/**
 * Monitoring: the auth service's application metrics (logins, refreshes, throttling, key
 * rotations), counted by the other components and served by the server's metrics endpoint.
 */
package dev.sigil.auth.monitoring;
