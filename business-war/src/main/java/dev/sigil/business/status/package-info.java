/** Status: the public liveness answer of the business service, which needs no token. */
package dev.sigil.business.status;
